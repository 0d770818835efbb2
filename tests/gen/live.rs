//! The generated nginx and HAProxy configs as real processes on loopback, in front of an SSE and
//! WebSocket origin run by the test: every event reaches the client within 100 ms of being sent,
//! the same origin behind a control config that really buffers shows the delay, and a WebSocket
//! message round-trips.
//!
//! The origin never sends `X-Accel-Buffering: no`: what keeps nginx from buffering must be the
//! generated config, not the application's opt-out. The controls are the generated files with one
//! deliberate change each (measured on nginx 1.22 and HAProxy 2.6, pitfalls.md sections A and C):
//! - nginx, `proxy_buffering on` + `proxy_http_version 1.0`: the origin answers the HTTP/1.0
//!   request close-delimited, and nginx holds every event until the stream ends;
//! - nginx, `proxy_buffering on` + gzip of text/event-stream: held until the stream ends;
//! - HAProxy, `compression type text/event-stream`: each event held until the next one;
//! - HAProxy without `option http-no-delay`: an event sent with MSG_MORE waits in the kernel for
//!   about 200 ms (found by this test; the generated SSE backends now set the option).

use super::common;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Events per stream, and the pause before each.
const EVENTS: usize = 5;
const INTERVAL: Duration = Duration::from_millis(250);
/// The issue's bound: each event reaches the client this soon after the origin sent it.
const BOUND: Duration = Duration::from_millis(100);
/// A control proves buffering only if some event is late by at least this much (well past the
/// bound, and below the ~200 ms that the kernel holds a MSG_MORE send).
const CONTROL_LATE: Duration = Duration::from_millis(150);
/// Every socket read or write, and every wait for a process, gives up after this.
const IO_TIMEOUT: Duration = Duration::from_secs(5);

const SSE_PATH: &str = "/events";
const WS_PATH: &str = "/ws/";
const READY_PATH: &str = "/ready";

#[test]
fn nginx_passes_each_event_at_once_and_controls_that_buffer_delay_them() {
    let Some(nginx) = common::tool("nginx") else { return };
    let origin = Origin::start();
    let site = Site::render(&origin);
    let conf = site.dir.path().join("deploy/nginx/nginx.conf");
    let generated = std::fs::read_to_string(&conf).unwrap();

    let run = |name: &str, text: &str| {
        let path = site.dir.path().join(format!("{name}.conf"));
        std::fs::write(&path, text).unwrap();
        let prefix = site.dir.path().join(name);
        std::fs::create_dir_all(&prefix).unwrap();
        let mut cmd = Command::new(&nginx);
        cmd.arg("-p")
            .arg(&prefix)
            .arg("-c")
            .arg(&path)
            .arg("-g")
            .arg(format!("daemon off; pid {};", prefix.join("nginx.pid").display()));
        let mut proc = Proc::spawn(name, &mut cmd, &prefix);
        proc.wait_ready(site.nginx, "/health");
        let received = receive_events(site.nginx, origin.clock);
        (proc, received)
    };

    let (mut proc, received) = run("nginx-generated", &generated);
    report("nginx, generated", &received);
    received.assert_streamed("nginx, generated config");
    let rtt = websocket_echo(site.nginx, "through nginx");
    eprintln!("nginx, generated: WebSocket echo round trip {} ms", ms(rtt));
    proc.stop();

    let http10 = edit_location(
        &generated,
        SSE_PATH,
        &[
            ("proxy_buffering off;", "proxy_buffering on;"),
            ("proxy_http_version 1.1;", "proxy_http_version 1.0;"),
        ],
    );
    let (mut proc, received) = run("nginx-control-http10", &http10);
    report("nginx, control: proxy_buffering on + proxy_http_version 1.0", &received);
    received.assert_buffered("nginx control (proxy_buffering on, HTTP/1.0 upstream)");
    proc.stop();

    let gzip = edit_location(
        &generated,
        SSE_PATH,
        &[
            ("proxy_buffering off;", "proxy_buffering on;"),
            ("gzip off;", "gzip on;\n            gzip_types text/event-stream;"),
        ],
    );
    let (mut proc, received) = run("nginx-control-gzip", &gzip);
    report("nginx, control: proxy_buffering on + gzip text/event-stream", &received);
    assert_eq!(
        received.header("content-encoding").as_deref(),
        Some("gzip"),
        "the gzip control must compress"
    );
    received.assert_buffered("nginx control (proxy_buffering on, gzip of text/event-stream)");
    proc.stop();
}

#[test]
fn haproxy_passes_each_event_at_once_and_controls_that_hold_events_delay_them() {
    let Some(haproxy) = common::tool("haproxy") else { return };
    let origin = Origin::start();
    let site = Site::render(&origin);
    let generated = std::fs::read_to_string(site.dir.path().join("deploy/haproxy/haproxy.cfg")).unwrap();

    let run = |name: &str, text: &str| {
        let path = site.dir.path().join(format!("{name}.cfg"));
        std::fs::write(&path, text).unwrap();
        let mut cmd = Command::new(&haproxy);
        cmd.arg("-db").arg("-f").arg(&path).env("HAPROXY_STATS_PASSWORD", "test-only");
        let mut proc = Proc::spawn(name, &mut cmd, site.dir.path());
        proc.wait_ready(site.haproxy, "/health");
        let received = receive_events(site.haproxy, origin.clock);
        (proc, received)
    };

    let (mut proc, received) = run("haproxy-generated", &generated);
    report("haproxy, generated", &received);
    received.assert_streamed("HAProxy, generated config");
    let rtt = websocket_echo(site.haproxy, "through HAProxy");
    eprintln!("haproxy, generated: WebSocket echo round trip {} ms", ms(rtt));
    proc.stop();

    let no_delay = "    option http-no-delay\n";
    assert!(generated.contains(no_delay), "no http-no-delay in:\n{generated}");
    let (mut proc, received) = run("haproxy-control-msg-more", &generated.replacen(no_delay, "", 1));
    report("haproxy, control: without option http-no-delay", &received);
    received.assert_buffered("HAProxy control (no http-no-delay: MSG_MORE)");
    proc.stop();

    let sse_backend = "\nbackend ep0_sse\n";
    assert!(generated.contains(sse_backend), "no SSE backend in:\n{generated}");
    let compressing = generated.replacen(
        sse_backend,
        &format!("{sse_backend}    compression algo gzip\n    compression type text/event-stream\n"),
        1,
    );
    let (mut proc, received) = run("haproxy-control-compression", &compressing);
    report("haproxy, control: compression type text/event-stream", &received);
    assert_eq!(received.header("content-encoding").as_deref(), Some("gzip"), "the control must compress");
    received.assert_buffered("HAProxy control (compression of text/event-stream)");
    proc.stop();
}

/// A test spec rendered by `sseconf gen`: nginx and HAProxy on free ports, in front of `origin`.
struct Site {
    dir: tempfile::TempDir,
    nginx: u16,
    haproxy: u16,
}

impl Site {
    fn render(origin: &Origin) -> Site {
        let dir = tempfile::tempdir().unwrap();
        let (nginx, haproxy, stats) = (free_port(), free_port(), free_port());
        let spec = format!(
            r#"service:
  name: live
  image: registry.example.com/acme/live:1.0.0
  ports: {{ http: {http}, management: {mgmt}, websocket: {ws} }}
  health: {{ liveness: {READY_PATH}, readiness: {READY_PATH} }}
endpoints:
  - path: {SSE_PATH}
    kind: sse
    methods: [GET]
    heartbeat: 15s
  - path: {WS_PATH}
    kind: websocket
    heartbeat: 30s
backends:
  servers:
    - {{ host: 127.0.0.1, port: {http} }}
nginx:
  listen: {{ address: 127.0.0.1, http: {nginx} }}
  server_name: localhost
haproxy:
  listen: {{ address: 127.0.0.1, http: {haproxy} }}
  # HAProxy asks for 2 x maxconn file descriptors and exits when it cannot have them; the
  # default 20000 needs more than a test machine without CAP_SYS_RESOURCE may allow.
  maxconn: 2000
  stats: {{ port: {stats}, bind: 127.0.0.1, password_env: HAPROXY_STATS_PASSWORD }}
versions: {{ nginx: "1.22", haproxy: "2.6" }}
"#,
            http = origin.http,
            mgmt = origin.mgmt,
            ws = origin.ws,
        );
        std::fs::write(dir.path().join("live.yaml"), spec).unwrap();
        let out = Command::new(common::bin())
            .args(["gen", "-q", "--only", "nginx,haproxy", "-o", "deploy", "live.yaml"])
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(out.status.success(), "gen failed: {}", String::from_utf8_lossy(&out.stderr));
        Site { dir, nginx, haproxy }
    }
}

/// A port that was free a moment ago (bound to port 0, then released).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// The generated config with replacements made inside the block `location {path} {` only; each
/// replacement must apply, so a control can never silently equal the generated config.
fn edit_location(conf: &str, path: &str, edits: &[(&str, &str)]) -> String {
    let open = format!("location {path} {{");
    let start = conf.find(&open).unwrap_or_else(|| panic!("no `{open}` in:\n{conf}"));
    let end = start + conf[start..].find("\n        }").unwrap();
    let mut block = conf[start..end].to_string();
    for (from, to) in edits {
        assert!(block.contains(from), "no `{from}` in the {path} location:\n{block}");
        block = block.replacen(from, to, 1);
    }
    format!("{}{block}{}", &conf[..start], &conf[end..])
}

/// An engine run by the test. Stopped (SIGTERM, then SIGKILL) when dropped, so nothing outlives
/// the test, even when an assertion fails.
struct Proc {
    name: String,
    child: Child,
    log: PathBuf,
}

impl Proc {
    fn spawn(name: &str, cmd: &mut Command, log_dir: &Path) -> Proc {
        let log = log_dir.join(format!("{name}.log"));
        let file = std::fs::File::create(&log).unwrap();
        let child = cmd
            .stdin(Stdio::null())
            .stdout(file.try_clone().unwrap())
            .stderr(file)
            .spawn()
            .unwrap_or_else(|e| panic!("starting {name}: {e}"));
        Proc { name: name.to_string(), child, log }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    fn exited(&mut self) -> Option<ExitStatus> {
        self.child.try_wait().unwrap()
    }

    /// Polls `path` on `port` until it answers 200.
    fn wait_ready(&mut self, port: u16, path: &str) {
        let deadline = Instant::now() + IO_TIMEOUT;
        loop {
            if let Some(status) = self.exited() {
                panic!("{} exited ({status}) before it was ready:\n{}", self.name, self.log());
            }
            let last = http_get(port, path);
            if matches!(last, Ok(200)) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "{} not ready on port {port}{path} (last answer {last:?}):\n{}",
                self.name,
                self.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Stops the engine and waits until it is gone (its port is then free for the next one).
    fn stop(&mut self) {
        if self.exited().is_some() {
            return;
        }
        // SIGTERM: nginx's master then stops its workers, which SIGKILL would orphan.
        let _ = Command::new("kill").arg("-TERM").arg(self.child.id().to_string()).status();
        let deadline = Instant::now() + IO_TIMEOUT;
        while Instant::now() < deadline {
            if self.exited().is_some() {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        self.stop();
    }
}

/// `GET path` on loopback `port`, with `Connection: close`: the status code.
fn http_get(port: u16, path: &str) -> std::io::Result<u16> {
    let mut s = TcpStream::connect(("127.0.0.1", port))?;
    s.set_read_timeout(Some(IO_TIMEOUT))?;
    s.set_write_timeout(Some(IO_TIMEOUT))?;
    s.write_all(format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").as_bytes())?;
    let mut answer = Vec::new();
    s.read_to_end(&mut answer)?;
    let text = String::from_utf8_lossy(&answer);
    text.split(' ').nth(1).and_then(|c| c.parse().ok()).ok_or_else(|| std::io::Error::other(text.to_string()))
}

// ---------------------------------------------------------------------------------------------
// The origin: SSE on the HTTP port, readiness on the management port, WebSocket echo on the
// WebSocket port (one handler serves all three, dispatching on the path).

struct Origin {
    /// The test's clock: events carry their send time on it, the client reads arrivals on it.
    clock: Instant,
    http: u16,
    mgmt: u16,
    ws: u16,
    stop: Arc<AtomicBool>,
}

impl Origin {
    fn start() -> Origin {
        let clock = Instant::now();
        let stop = Arc::new(AtomicBool::new(false));
        let mut ports = Vec::new();
        for _ in 0..3 {
            let listener = TcpListener::bind("127.0.0.1:0").unwrap();
            ports.push(listener.local_addr().unwrap().port());
            let stop = Arc::clone(&stop);
            std::thread::spawn(move || {
                for conn in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(conn) = conn else { continue };
                    // An error here is the proxy hanging up; the client side reports what matters.
                    std::thread::spawn(move || serve(conn, clock));
                }
            });
        }
        Origin { clock, http: ports[0], mgmt: ports[1], ws: ports[2], stop }
    }
}

impl Drop for Origin {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        for port in [self.http, self.mgmt, self.ws] {
            let _ = TcpStream::connect(("127.0.0.1", port)); // wakes the accept loop to see `stop`
        }
    }
}

struct Request {
    path: String,
    http11: bool,
    headers: Vec<(String, String)>,
}

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// Reads a request head; `None` when the peer closed the connection between requests.
fn read_request(reader: &mut impl BufRead) -> std::io::Result<Option<Request>> {
    let mut line = String::new();
    if reader.read_line(&mut line)? == 0 {
        return Ok(None);
    }
    let mut parts = line.split_whitespace();
    let (_method, path, version) = (parts.next(), parts.next().unwrap_or("/"), parts.next().unwrap_or(""));
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h)? == 0 || h.trim().is_empty() {
            break;
        }
        if let Some((n, v)) = h.split_once(':') {
            headers.push((n.trim().to_string(), v.trim().to_string()));
        }
    }
    Ok(Some(Request { path: path.to_string(), http11: version == "HTTP/1.1", headers }))
}

fn serve(stream: TcpStream, clock: Instant) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    stream.set_write_timeout(Some(IO_TIMEOUT))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut out = stream;
    while let Some(req) = read_request(&mut reader)? {
        let keep_alive =
            req.http11 && !req.header("connection").is_some_and(|v| v.eq_ignore_ascii_case("close"));
        let version = if req.http11 { "HTTP/1.1" } else { "HTTP/1.0" };
        if req.path.starts_with(WS_PATH) {
            return websocket_echo_server(reader, out, &req);
        } else if req.path.starts_with(SSE_PATH) {
            send_events(&mut out, req.http11, clock)?;
        } else {
            let (status, body) =
                if req.path.starts_with(READY_PATH) { ("200 OK", "ok\n") } else { ("404 Not Found", "") };
            write!(
                out,
                "{version} {status}\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            )?;
        }
        if !keep_alive {
            break;
        }
    }
    Ok(())
}

/// `EVENTS` events, `INTERVAL` apart, each stamped with its send time in µs on the test's clock:
/// chunked to an HTTP/1.1 request, close-delimited to an HTTP/1.0 one (as real servers answer).
fn send_events(out: &mut TcpStream, chunked: bool, clock: Instant) -> std::io::Result<()> {
    let (version, framing) =
        if chunked { ("HTTP/1.1", "Transfer-Encoding: chunked") } else { ("HTTP/1.0", "Connection: close") };
    write!(
        out,
        "{version} 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n{framing}\r\n\r\n"
    )?;
    for id in 0..EVENTS {
        std::thread::sleep(INTERVAL);
        let event = format!("id: {id}\ndata: {}\n\n", clock.elapsed().as_micros());
        if chunked {
            write!(out, "{:x}\r\n{event}\r\n", event.len())?;
        } else {
            out.write_all(event.as_bytes())?;
        }
    }
    if chunked {
        out.write_all(b"0\r\n\r\n")?;
    }
    out.flush()
}

// ---------------------------------------------------------------------------------------------
// The SSE client: a raw socket recording when each event's last byte arrives.

struct Arrival {
    id: usize,
    sent: Duration,
    arrived: Duration,
}

impl Arrival {
    fn delay(&self) -> Duration {
        self.arrived.saturating_sub(self.sent)
    }
}

struct Received {
    status: String,
    headers: Vec<(String, String)>,
    events: Vec<Arrival>,
}

impl Received {
    fn header(&self, name: &str) -> Option<String> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.clone())
    }

    fn delays(&self) -> Vec<u128> {
        self.events.iter().map(|e| e.delay().as_millis()).collect()
    }

    fn assert_complete(&self, what: &str) {
        assert!(self.status.contains(" 200 "), "{what}: status {}", self.status);
        let ids: Vec<usize> = self.events.iter().map(|e| e.id).collect();
        assert_eq!(ids, (0..EVENTS).collect::<Vec<_>>(), "{what}: events missing or out of order");
    }

    fn assert_streamed(&self, what: &str) {
        self.assert_complete(what);
        let ct = self.header("content-type").unwrap_or_default();
        assert!(ct.starts_with("text/event-stream"), "{what}: Content-Type {ct}");
        assert_eq!(self.header("content-encoding"), None, "{what}: the stream must not be compressed");
        for e in &self.events {
            assert!(
                e.delay() <= BOUND,
                "{what}: event {} arrived {} ms after it was sent (bound {} ms); all delays in ms: {:?}",
                e.id,
                ms(e.delay()),
                ms(BOUND),
                self.delays()
            );
        }
    }

    fn assert_buffered(&self, what: &str) {
        self.assert_complete(what);
        let worst = self.events.iter().map(Arrival::delay).max().unwrap_or_default();
        assert!(
            worst >= CONTROL_LATE,
            "{what}: no event was late (worst {} ms; delays in ms {:?}): the control does not buffer, so \
             the test would prove nothing",
            ms(worst),
            self.delays()
        );
    }
}

fn ms(d: Duration) -> u128 {
    d.as_millis()
}

fn report(what: &str, r: &Received) {
    let arrivals: Vec<u128> = r.events.iter().map(|e| e.arrived.as_millis()).collect();
    eprintln!("{what}: delays {:?} ms (arrivals at {arrivals:?} ms on the test clock)", r.delays());
}

/// Opens the SSE stream through `port` as a browser would (HTTP/1.1, gzip accepted) and reads it
/// to its last event.
fn receive_events(port: u16, clock: Instant) -> Received {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_nodelay(true).unwrap();
    s.set_read_timeout(Some(IO_TIMEOUT)).unwrap();
    s.set_write_timeout(Some(IO_TIMEOUT)).unwrap();
    s.write_all(
        format!(
            "GET {SSE_PATH} HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\
             Accept-Encoding: gzip\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n"
        )
        .as_bytes(),
    )
    .unwrap();
    let deadline = Instant::now() + INTERVAL * EVENTS as u32 + IO_TIMEOUT;
    let mut raw = Vec::new();
    let mut head: Option<(String, Vec<(String, String)>)> = None;
    let mut body = Body::Plain;
    let mut text = String::new();
    let mut events = Vec::new();
    let mut buf = [0u8; 8192];
    while events.len() < EVENTS {
        assert!(Instant::now() < deadline, "stream through port {port} still open after its last event");
        let n = match s.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) => panic!("reading the stream through port {port} after {} events: {e}", events.len()),
        };
        let now = clock.elapsed();
        raw.extend_from_slice(&buf[..n]);
        if head.is_none() {
            let Some(end) = find(&raw, b"\r\n\r\n") else { continue };
            let (status, headers) = parse_head(&raw[..end]);
            raw.drain(..end + 4);
            let has = |name: &str, value: &str| {
                headers.iter().any(|(n, v)| n.eq_ignore_ascii_case(name) && v.eq_ignore_ascii_case(value))
            };
            body = Body::new(has("transfer-encoding", "chunked"), has("content-encoding", "gzip"));
            head = Some((status, headers));
        }
        text.push_str(&body.decode(&mut raw));
        while let Some(end) = text.find("\n\n") {
            let block: String = text.drain(..end + 2).collect();
            let field = |name: &str| {
                block.lines().find_map(|l| l.strip_prefix(name)).map(|v| v.trim().parse::<u128>().unwrap())
            };
            if let (Some(id), Some(sent)) = (field("id:"), field("data:")) {
                let sent = Duration::from_micros(u64::try_from(sent).unwrap());
                events.push(Arrival { id: usize::try_from(id).unwrap(), sent, arrived: now });
            }
        }
    }
    let (status, headers) = head.unwrap_or_else(|| panic!("no response head through port {port}"));
    Received { status, headers, events }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn parse_head(head: &[u8]) -> (String, Vec<(String, String)>) {
    let text = String::from_utf8_lossy(head);
    let mut lines = text.split("\r\n");
    let status = lines.next().unwrap_or_default().to_string();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    (status, headers)
}

/// Incremental decoding of a response body as its bytes arrive: chunked framing, then gzip.
enum Body {
    Plain,
    Chunked { gzip: Option<flate2::write::GzDecoder<Vec<u8>>> },
    Gzip(flate2::write::GzDecoder<Vec<u8>>),
}

impl Body {
    fn new(chunked: bool, gzip: bool) -> Body {
        let decoder = || flate2::write::GzDecoder::new(Vec::new());
        match (chunked, gzip) {
            (true, gzip) => Body::Chunked { gzip: gzip.then(decoder) },
            (false, true) => Body::Gzip(decoder()),
            (false, false) => Body::Plain,
        }
    }

    /// Consumes what can be decoded from `raw` and returns the text it yields.
    fn decode(&mut self, raw: &mut Vec<u8>) -> String {
        let bytes = match self {
            Body::Plain => std::mem::take(raw),
            Body::Gzip(d) => inflate(d, &std::mem::take(raw)),
            Body::Chunked { gzip } => {
                let payload = dechunk(raw);
                match gzip {
                    Some(d) => inflate(d, &payload),
                    None => payload,
                }
            }
        };
        String::from_utf8(bytes).unwrap()
    }
}

fn inflate(d: &mut flate2::write::GzDecoder<Vec<u8>>, bytes: &[u8]) -> Vec<u8> {
    d.write_all(bytes).unwrap();
    d.flush().unwrap();
    std::mem::take(d.get_mut())
}

/// The payload of every complete chunk at the start of `raw`, removing them from it.
fn dechunk(raw: &mut Vec<u8>) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(line_end) = find(raw, b"\r\n") {
        let size_text = String::from_utf8_lossy(&raw[..line_end]).to_string();
        let size_hex = size_text.split(';').next().unwrap_or_default().trim();
        let size =
            usize::from_str_radix(size_hex, 16).unwrap_or_else(|_| panic!("bad chunk size {size_text:?}"));
        if size == 0 || raw.len() < line_end + 2 + size + 2 {
            break;
        }
        out.extend_from_slice(&raw[line_end + 2..line_end + 2 + size]);
        raw.drain(..line_end + 2 + size + 2);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// WebSocket (RFC 6455): just enough for a handshake and a text echo.

const WS_GUID: &str = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

fn accept_key(key: &str) -> String {
    data_encoding::BASE64.encode(&sha1_smol::Sha1::from(format!("{key}{WS_GUID}")).digest().bytes())
}

/// Writes one frame; the client masks its frames (the mask is fixed: this is a test).
fn write_frame(out: &mut impl Write, opcode: u8, payload: &[u8], masked: bool) -> std::io::Result<()> {
    assert!(payload.len() < 126, "short frames only");
    let mut frame = vec![0x80 | opcode, u8::try_from(payload.len()).unwrap() | if masked { 0x80 } else { 0 }];
    if masked {
        let mask = [0x37, 0xfa, 0x21, 0x3d];
        frame.extend_from_slice(&mask);
        frame.extend(payload.iter().enumerate().map(|(i, b)| b ^ mask[i % 4]));
    } else {
        frame.extend_from_slice(payload);
    }
    out.write_all(&frame)
}

/// Reads one frame: its opcode and unmasked payload.
fn read_frame(input: &mut impl Read) -> std::io::Result<(u8, Vec<u8>)> {
    let mut head = [0u8; 2];
    input.read_exact(&mut head)?;
    let mut len = u64::from(head[1] & 0x7f);
    if len == 126 {
        let mut ext = [0u8; 2];
        input.read_exact(&mut ext)?;
        len = u64::from(u16::from_be_bytes(ext));
    } else if len == 127 {
        let mut ext = [0u8; 8];
        input.read_exact(&mut ext)?;
        len = u64::from_be_bytes(ext);
    }
    let mut mask = [0u8; 4];
    if head[1] & 0x80 != 0 {
        input.read_exact(&mut mask)?;
    }
    let mut payload = vec![0u8; usize::try_from(len).unwrap()];
    input.read_exact(&mut payload)?;
    for (i, b) in payload.iter_mut().enumerate() {
        *b ^= mask[i % 4];
    }
    Ok((head[0] & 0x0f, payload))
}

fn websocket_echo_server(mut input: impl Read, mut out: TcpStream, req: &Request) -> std::io::Result<()> {
    let upgrade = req.header("upgrade").is_some_and(|v| v.eq_ignore_ascii_case("websocket"));
    let Some(key) = req.header("sec-websocket-key").filter(|_| upgrade) else {
        return out
            .write_all(b"HTTP/1.1 426 Upgrade Required\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    };
    write!(
        out,
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
         Sec-WebSocket-Accept: {}\r\n\r\n",
        accept_key(key)
    )?;
    loop {
        let (opcode, payload) = read_frame(&mut input)?;
        match opcode {
            0x8 => return write_frame(&mut out, 0x8, &payload, false),
            0x9 => write_frame(&mut out, 0xA, &payload, false)?,
            _ => write_frame(&mut out, opcode, &payload, false)?,
        }
    }
}

/// Upgrades a connection through `port`, sends a text message and returns the round-trip time
/// once the same text comes back.
fn websocket_echo(port: u16, what: &str) -> Duration {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_nodelay(true).unwrap();
    s.set_read_timeout(Some(IO_TIMEOUT)).unwrap();
    s.set_write_timeout(Some(IO_TIMEOUT)).unwrap();
    let key = data_encoding::BASE64.encode(b"sseconf-live-key");
    write!(
        s,
        "GET {WS_PATH}echo HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
         Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
    )
    .unwrap();
    // The head, byte by byte: nothing may be read past it (the echo comes later anyway).
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        s.read_exact(&mut byte).unwrap_or_else(|e| panic!("WebSocket handshake {what}: {e}; got {head:?}"));
        head.push(byte[0]);
    }
    let (status, headers) = parse_head(&head[..head.len() - 4]);
    assert!(status.contains(" 101 "), "WebSocket handshake {what}: {status}\n{headers:?}");
    let accept = headers.iter().find(|(n, _)| n.eq_ignore_ascii_case("sec-websocket-accept")).map(|(_, v)| v);
    assert_eq!(accept, Some(&accept_key(&key)), "WebSocket handshake {what}: {headers:?}");

    let message = format!("hello {what}");
    let start = Instant::now();
    write_frame(&mut s, 0x1, message.as_bytes(), true).unwrap();
    let (opcode, payload) = read_frame(&mut s).unwrap_or_else(|e| panic!("WebSocket echo {what}: {e}"));
    let rtt = start.elapsed();
    assert_eq!((opcode, String::from_utf8_lossy(&payload).to_string()), (0x1, message), "echo {what}");
    write_frame(&mut s, 0x8, &1000u16.to_be_bytes(), true).unwrap();
    let (opcode, _) = read_frame(&mut s).unwrap_or_else(|e| panic!("WebSocket close {what}: {e}"));
    assert_eq!(opcode, 0x8, "the close frame {what} must be answered");
    rtt
}
