//! Downloads against a real HTTPS server on 127.0.0.1 with a test CA.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use baton_core::migrate::system::ActionError;
use baton_system::migrate::download::{Downloader, Limits};

type Tls = rustls::StreamOwned<rustls::ServerConnection, TcpStream>;

/// The body every file route serves: 300 KB of a recognisable pattern.
fn body() -> Vec<u8> {
    (0..300_000u32).map(|i| (i % 251) as u8).collect()
}

struct Server {
    port: u16,
    ca_pem: String,
    hits: Arc<Mutex<HashMap<String, usize>>>,
    ranges: Arc<Mutex<Vec<String>>>,
}

impl Server {
    fn url(&self, path: &str) -> String {
        format!("https://localhost:{}{path}", self.port)
    }
    fn hits(&self, path: &str) -> usize {
        self.hits.lock().unwrap().get(path).copied().unwrap_or(0)
    }
}

fn start() -> Server {
    let ca_key = rcgen::KeyPair::generate().unwrap();
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "Baton test CA");
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let leaf_key = rcgen::KeyPair::generate().unwrap();
    let leaf_params =
        rcgen::CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()])
            .unwrap();
    let leaf = leaf_params.signed_by(&leaf_key, &ca, &ca_key).unwrap();

    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![leaf.der().clone()],
            rustls::pki_types::PrivateKeyDer::Pkcs8(leaf_key.serialize_der().into()),
        )
        .unwrap();
    let config = Arc::new(config);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let hits: Arc<Mutex<HashMap<String, usize>>> = Arc::default();
    let ranges: Arc<Mutex<Vec<String>>> = Arc::default();
    let (h, r) = (Arc::clone(&hits), Arc::clone(&ranges));
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let (config, hits, ranges) = (Arc::clone(&config), Arc::clone(&h), Arc::clone(&r));
            std::thread::spawn(move || serve(stream, config, port, &hits, &ranges));
        }
    });
    Server {
        port,
        ca_pem: ca.pem(),
        hits,
        ranges,
    }
}

fn reply(tls: &mut Tls, head: &str) {
    let _ = tls.write_all(head.as_bytes());
    tls.conn.send_close_notify();
    let _ = tls.flush();
}

/// A second file, as long as the first, for a server that swaps them.
fn other_body() -> Vec<u8> {
    (0..300_000u32).map(|i| (i % 241) as u8 ^ 0x5a).collect()
}

/// Serves the body from `from`; `cut` drops the connection at that byte,
/// `pace` sleeps between 16 KB chunks.
fn send_file(tls: &mut Tls, from: Option<usize>, cut: Option<usize>, pace: Option<Duration>) {
    send_body(tls, &body(), Some("\"v1\""), from, cut, pace);
}

fn send_body(
    tls: &mut Tls,
    body: &[u8],
    etag: Option<&str>,
    from: Option<usize>,
    cut: Option<usize>,
    pace: Option<Duration>,
) {
    let start = from.unwrap_or(0);
    let etag = etag.map(|e| format!("ETag: {e}\r\n")).unwrap_or_default();
    let head = match from {
        Some(s) => format!(
            "HTTP/1.1 206 Partial Content\r\n{etag}Content-Length: {}\r\nContent-Range: bytes {s}-{}/{}\r\nConnection: close\r\n\r\n",
            body.len() - s,
            body.len() - 1,
            body.len()
        ),
        None => format!(
            "HTTP/1.1 200 OK\r\n{etag}Content-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        ),
    };
    let _ = tls.write_all(head.as_bytes());
    let end = cut.unwrap_or(body.len());
    for chunk in body[start..end].chunks(16 * 1024) {
        if tls.write_all(chunk).is_err() {
            return;
        }
        let _ = tls.flush();
        if let Some(p) = pace {
            std::thread::sleep(p);
        }
    }
    if cut.is_some() {
        // A dropped connection: no close_notify, just gone.
        let _ = tls.sock.shutdown(std::net::Shutdown::Both);
        return;
    }
    tls.conn.send_close_notify();
    let _ = tls.flush();
}

fn serve(
    tcp: TcpStream,
    config: Arc<rustls::ServerConfig>,
    port: u16,
    hits: &Mutex<HashMap<String, usize>>,
    ranges: &Mutex<Vec<String>>,
) {
    let conn = rustls::ServerConnection::new(config).unwrap();
    let mut tls = rustls::StreamOwned::new(conn, tcp);
    let mut reader = BufReader::new(&mut tls);
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    let path = request_line
        .split_whitespace()
        .nth(1)
        .unwrap_or("/")
        .to_owned();
    let mut range_from = None;
    let mut if_range = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).is_err() || line == "\r\n" || line.is_empty() {
            break;
        }
        if let Some(v) = line.to_ascii_lowercase().strip_prefix("range: bytes=") {
            ranges.lock().unwrap().push(v.trim().to_owned());
            range_from = v.trim().trim_end_matches('-').parse::<usize>().ok();
        }
        if let Some(v) = line
            .strip_prefix("If-Range: ")
            .or(line.strip_prefix("if-range: "))
        {
            if_range = Some(v.trim().to_owned());
        }
    }
    // The range is honoured only for the current version (RFC 9110 If-Range).
    let range_if = |etag: &str| range_from.filter(|_| if_range.as_deref() == Some(etag));
    drop(reader);
    let n = {
        let mut m = hits.lock().unwrap();
        let c = m.entry(path.clone()).or_default();
        *c += 1;
        *c
    };
    let body = body();
    match path.as_str() {
        "/file" => send_file(&mut tls, range_from, None, None),
        // File A is cut at 100 KB; then the server has file B, and honours If-Range.
        "/swap" if n == 1 => send_file(&mut tls, None, Some(100_000), None),
        "/swap" => send_body(
            &mut tls,
            &other_body(),
            Some("\"v2\""),
            range_if("\"v2\""),
            None,
            None,
        ),
        // The same, with a server that ignores If-Range and sends B's second half.
        "/swap-ignores-if-range" if n == 1 => send_file(&mut tls, None, Some(100_000), None),
        "/swap-ignores-if-range" => send_body(
            &mut tls,
            &other_body(),
            Some("\"v2\""),
            range_from,
            None,
            None,
        ),
        // No validator at all: what was received cannot be proven to continue.
        "/no-validator" if n == 1 => send_body(&mut tls, &body, None, None, Some(100_000), None),
        "/no-validator" => send_body(&mut tls, &body, None, range_from, None, None),
        "/drop" if n == 1 => send_file(&mut tls, None, Some(120_000), None),
        "/drop" => send_file(&mut tls, range_from, None, None),
        "/stall" if n == 1 => {
            let head = format!(
                "HTTP/1.1 200 OK\r\nETag: \"v1\"\r\nContent-Length: {}\r\n\r\n",
                body.len()
            );
            let _ = tls.write_all(head.as_bytes());
            let _ = tls.write_all(&body[..50_000]);
            let _ = tls.flush();
            std::thread::sleep(Duration::from_secs(3));
        }
        "/stall" => send_file(&mut tls, range_from, None, None),
        "/slow" => send_file(&mut tls, range_from, None, Some(Duration::from_millis(60))),
        "/busy" if n == 1 => reply(
            &mut tls,
            "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        ),
        "/busy" => send_file(&mut tls, None, None, None),
        "/redirect-ok" => reply(
            &mut tls,
            &format!(
                "HTTP/1.1 302 Found\r\nLocation: https://localhost:{port}/file\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            ),
        ),
        "/redirect-off-list" => reply(
            &mut tls,
            &format!(
                "HTTP/1.1 302 Found\r\nLocation: https://127.0.0.1:{port}/file\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            ),
        ),
        "/redirect-http" => reply(
            &mut tls,
            &format!(
                "HTTP/1.1 302 Found\r\nLocation: http://localhost:{port}/file\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            ),
        ),
        "/too-big" => {
            let _ = tls.write_all(
                b"HTTP/1.1 200 OK\r\nContent-Length: 900000000000\r\nConnection: close\r\n\r\n",
            );
            let _ = tls.write_all(&body[..1000]);
            let _ = tls.flush();
        }
        "/too-big-unannounced" => {
            let _ = tls.write_all(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n");
            for _ in 0..4 {
                if tls.write_all(&body).is_err() {
                    return;
                }
            }
            tls.conn.send_close_notify();
            let _ = tls.flush();
        }
        _ => reply(
            &mut tls,
            "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        ),
    }
}

fn limits() -> Limits {
    Limits {
        max_bytes: 1_000_000,
        reconnects: 3,
        backoff: Duration::from_millis(50),
        stall: Duration::from_secs(1),
        connect: Duration::from_secs(5),
    }
}

fn downloader(server: &Server) -> Downloader {
    Downloader::with_extra_root(vec!["localhost".into()], limits(), server.ca_pem.as_bytes())
        .unwrap()
}

fn sha256_of(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn the_right_file_arrives_whole_with_its_hash_and_progress() {
    let server = start();
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("setup.exe");
    let mut progress = Vec::new();
    let a = downloader(&server)
        .fetch(&server.url("/file"), &dest, &mut |p| progress.push(p))
        .unwrap();
    assert_eq!(std::fs::read(&dest).unwrap(), body());
    assert_eq!(a.bytes, 300_000);
    assert_eq!(a.sha256, sha256_of(&body()));
    let last = progress.last().unwrap();
    assert_eq!((last.bytes, last.total), (300_000, Some(300_000)));
    assert!(!dir.path().join("setup.exe.part").exists());
}

#[test]
fn a_file_already_at_the_destination_is_never_reused() {
    // It was not verified by this run, and anyone with the user's rights
    // could have put it there: it is downloaded again.
    let server = start();
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("setup.exe");
    std::fs::write(&dest, b"MZ planted").unwrap();
    let a = downloader(&server)
        .fetch(&server.url("/file"), &dest, &mut |_| {})
        .unwrap();
    assert_eq!(std::fs::read(&dest).unwrap(), body());
    assert_eq!(a.sha256, sha256_of(&body()));
    assert_eq!(server.hits("/file"), 1);
}

#[test]
fn a_resume_never_splices_two_files() {
    // The server cut file A at 100 KB, then served file B. With If-Range it
    // sends B whole; the download is B, not A's start and B's end.
    let server = start();
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("setup.exe");
    let a = downloader(&server)
        .fetch(&server.url("/swap"), &dest, &mut |_| {})
        .unwrap();
    assert_eq!(a.sha256, sha256_of(&other_body()));
    assert_eq!(*server.ranges.lock().unwrap(), ["100000-"]);
}

#[test]
fn a_server_that_ignores_if_range_is_caught_by_its_etag() {
    let server = start();
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("setup.exe");
    let a = downloader(&server)
        .fetch(&server.url("/swap-ignores-if-range"), &dest, &mut |_| {})
        .unwrap();
    assert_eq!(a.sha256, sha256_of(&other_body()));
    assert_eq!(std::fs::read(&dest).unwrap(), other_body());
}

#[test]
fn without_a_validator_a_dropped_download_starts_over() {
    let server = start();
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("setup.exe");
    let a = downloader(&server)
        .fetch(&server.url("/no-validator"), &dest, &mut |_| {})
        .unwrap();
    assert_eq!(a.sha256, sha256_of(&body()));
    assert!(
        server.ranges.lock().unwrap().is_empty(),
        "no Range without a validator"
    );
    assert_eq!(server.hits("/no-validator"), 2);
}

#[test]
fn a_dropped_connection_resumes_with_range() {
    let server = start();
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("setup.exe");
    let a = downloader(&server)
        .fetch(&server.url("/drop"), &dest, &mut |_| {})
        .unwrap();
    assert_eq!(std::fs::read(&dest).unwrap(), body());
    assert_eq!(a.sha256, sha256_of(&body()));
    assert_eq!(server.hits("/drop"), 2);
    assert_eq!(*server.ranges.lock().unwrap(), ["120000-"]);
}

#[test]
fn a_stalled_server_times_out_and_the_download_resumes() {
    let server = start();
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("setup.exe");
    downloader(&server)
        .fetch(&server.url("/stall"), &dest, &mut |_| {})
        .unwrap();
    assert_eq!(std::fs::read(&dest).unwrap(), body());
    assert_eq!(server.hits("/stall"), 2);
    assert_eq!(*server.ranges.lock().unwrap(), ["50000-"]);
}

#[test]
fn a_slow_but_steady_server_completes_with_progress_on_the_way() {
    let server = start();
    let dir = tempfile::tempdir().unwrap();
    let mut progress = Vec::new();
    downloader(&server)
        .fetch(&server.url("/slow"), &dir.path().join("s.exe"), &mut |p| {
            progress.push(p)
        })
        .unwrap();
    assert!(progress.len() >= 3, "{progress:?}");
    assert!(progress.windows(2).all(|w| w[0].bytes <= w[1].bytes));
    assert_eq!(server.hits("/slow"), 1);
}

#[test]
fn a_busy_server_is_retried_after_a_pause() {
    let server = start();
    let dir = tempfile::tempdir().unwrap();
    downloader(&server)
        .fetch(&server.url("/busy"), &dir.path().join("b.exe"), &mut |_| {})
        .unwrap();
    assert_eq!(server.hits("/busy"), 2);
}

#[test]
fn redirects_are_followed_only_to_listed_https_hosts() {
    let server = start();
    let dir = tempfile::tempdir().unwrap();
    let ok = downloader(&server)
        .fetch(
            &server.url("/redirect-ok"),
            &dir.path().join("r.exe"),
            &mut |_| {},
        )
        .unwrap();
    assert_eq!(ok.bytes, 300_000);
    for path in ["/redirect-off-list", "/redirect-http"] {
        let dest = dir.path().join("x.exe");
        let err = downloader(&server)
            .fetch(&server.url(path), &dest, &mut |_| {})
            .unwrap_err();
        assert!(matches!(err, ActionError::Refused(_)), "{path}: {err:?}");
        assert!(
            err.to_string().contains("redirect refused"),
            "{path}: {err}"
        );
        assert!(!dest.exists() && !dir.path().join("x.exe.part").exists());
    }
    // The off-list host was never contacted: only the good redirect reached /file.
    assert_eq!(server.hits("/file"), 1);
}

#[test]
fn plain_http_and_unlisted_hosts_are_refused_before_connecting() {
    let server = start();
    let dir = tempfile::tempdir().unwrap();
    let d = downloader(&server);
    let err = d
        .fetch(
            &format!("http://localhost:{}/file", server.port),
            &dir.path().join("a"),
            &mut |_| {},
        )
        .unwrap_err();
    assert!(
        matches!(&err, ActionError::Refused(m) if m.contains("not an https")),
        "{err:?}"
    );
    let err = d
        .fetch(
            &format!("https://127.0.0.1:{}/file", server.port),
            &dir.path().join("a"),
            &mut |_| {},
        )
        .unwrap_err();
    assert!(
        matches!(&err, ActionError::Refused(m) if m.contains("127.0.0.1 is not one of")),
        "{err:?}"
    );
    assert_eq!(server.hits("/file"), 0);
}

#[test]
fn bodies_over_the_size_cap_are_refused_and_deleted() {
    let server = start();
    let dir = tempfile::tempdir().unwrap();
    for path in ["/too-big", "/too-big-unannounced"] {
        let dest = dir.path().join("big.exe");
        let err = downloader(&server)
            .fetch(&server.url(path), &dest, &mut |_| {})
            .unwrap_err();
        assert!(
            matches!(&err, ActionError::Refused(m) if m.contains("limit")),
            "{path}: {err:?}"
        );
        assert!(
            !dest.exists() && !dir.path().join("big.exe.part").exists(),
            "{path}"
        );
    }
}

#[test]
fn an_untrusted_certificate_is_refused() {
    let server = start();
    let dir = tempfile::tempdir().unwrap();
    // No test CA: the loopback server's certificate is not trusted.
    let d = Downloader::new(
        vec!["localhost".into()],
        Limits {
            reconnects: 0,
            ..limits()
        },
    )
    .unwrap();
    let err = d
        .fetch(&server.url("/file"), &dir.path().join("a"), &mut |_| {})
        .unwrap_err();
    assert!(
        err.to_string().to_lowercase().contains("certificate"),
        "{err}"
    );
    assert!(!dir.path().join("a").exists());
}

#[test]
fn a_wrong_hash_fails_verification_and_deletes_the_file() {
    let server = start();
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("setup.exe");
    let a = downloader(&server)
        .fetch(&server.url("/file"), &dest, &mut |_| {})
        .unwrap();
    let err = baton_system::migrate::verify::sha256(&a, &"0".repeat(64)).unwrap_err();
    assert!(
        matches!(&err, ActionError::Verification(m) if m.contains("SHA-256")),
        "{err:?}"
    );
    assert!(!dest.exists());
    let a = downloader(&server)
        .fetch(&server.url("/file"), &dest, &mut |_| {})
        .unwrap();
    baton_system::migrate::verify::sha256(&a, &sha256_of(&body()).to_uppercase()).unwrap();
    assert!(dest.exists());
}
