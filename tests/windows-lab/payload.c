/* The Windows lab's stand-in for a program planted by a standard user: if it
 * ever runs, it leaves C:\lab\payload-ran. Baton must never run it.
 * Build: x86_64-w64-mingw32-gcc -mwindows -o payload.exe payload.c */
#include <windows.h>

int WINAPI WinMain(HINSTANCE instance, HINSTANCE previous, LPSTR line, int show)
{
    (void)instance; (void)previous; (void)line; (void)show;
    HANDLE f = CreateFileA("C:\\lab\\payload-ran", GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                           FILE_ATTRIBUTE_NORMAL, NULL);
    if (f != INVALID_HANDLE_VALUE)
        CloseHandle(f);
    return 0;
}
