/* The Windows lab's stand-in for a replacement antivirus's resident process:
 * it only stays running, so the scan sees the product as active.
 * Build: x86_64-w64-mingw32-gcc -mwindows -o ekrn.exe ekrn.c */
#include <windows.h>

int WINAPI WinMain(HINSTANCE instance, HINSTANCE previous, LPSTR line, int show)
{
    (void)instance; (void)previous; (void)line; (void)show;
    for (;;)
        Sleep(60000);
}
