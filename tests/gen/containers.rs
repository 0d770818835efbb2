//! The docker, compose and redis targets: hadolint, shellcheck, `docker-compose config` and a
//! real redis-server accept what gen writes, the scripts behave, and every mistake of the seed's
//! Dockerfile, docker-compose.yml and redis.conf stays corrected.

use super::common;
use super::support::{self, Versions};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const EXAMPLES: &[&str] = &["examples/streaming.yaml", "examples/minimal.yaml"];

/// What the compose tests put in the environment for the `${VAR:?}` references: test-only values.
const SECRETS: &[(&str, &str)] = &[
    ("REDIS_PASSWORD", "test-only-redis"),
    ("GRAFANA_ADMIN_PASSWORD", "test-only-grafana"),
    ("HAPROXY_STATS_PASSWORD", "test-only-haproxy"),
];

// ---------------------------------------------------------------------------------------------
// Helpers

/// Renders a spec given as text, as `gen` would from a file named `name` (for the header).
fn gen_text(name: &str, text: &str) -> tempfile::TempDir {
    let work = tempfile::tempdir().unwrap();
    std::fs::write(work.path().join(name), text).unwrap();
    let out = tempfile::tempdir().unwrap();
    let result = Command::new(common::bin())
        .args(["gen", "-q", "-o"])
        .arg(out.path())
        .arg(name)
        .current_dir(work.path())
        .output()
        .unwrap();
    assert!(result.status.success(), "gen failed: {}", String::from_utf8_lossy(&result.stderr));
    out
}

fn streaming() -> (tempfile::TempDir, BTreeMap<String, String>) {
    let out = support::gen_example("examples/streaming.yaml", Versions::AsWritten);
    let files = support::read_tree(out.path());
    (out, files)
}

fn yaml(text: &str) -> Value {
    serde_saphyr::from_str::<Value>(text).unwrap()
}

fn compose_services(files: &BTreeMap<String, String>) -> serde_json::Map<String, Value> {
    let compose = yaml(&files["docker-compose.yml"]);
    compose["services"].as_object().unwrap().clone()
}

fn text(output: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

/// A free port on loopback (the kernel picks it; it is released before the server binds it).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A child process killed (and reaped) when the test ends, pass or fail.
struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn wait_for_port(port: u16, server: &mut KillOnDrop, log: &Path) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        if let Ok(Some(status)) = server.0.try_wait() {
            panic!("server exited with {status}:\n{}", std::fs::read_to_string(log).unwrap_or_default());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("nothing listens on 127.0.0.1:{port}:\n{}", std::fs::read_to_string(log).unwrap_or_default());
}

/// Where [`start_redis`] sends the server's stdout, in its data folder.
const REDIS_LOG: &str = "redis.log";

/// Starts redis-server on `conf` with `extra` arguments, on 127.0.0.1 and a free port, in a
/// fresh data folder, and waits until it listens. The server stops when the guard is dropped.
fn start_redis(redis_server: &Path, conf: &Path, extra: &[&str]) -> (u16, tempfile::TempDir, KillOnDrop) {
    let port = free_port();
    let data = tempfile::tempdir().unwrap();
    let log = data.path().join(REDIS_LOG);
    let mut server = KillOnDrop(
        Command::new(redis_server)
            .arg(conf)
            .args(extra)
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            .current_dir(data.path())
            .stdout(std::fs::File::create(&log).unwrap())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    wait_for_port(port, &mut server, &log);
    (port, data, server)
}

// ---------------------------------------------------------------------------------------------
// The engines accept the files

#[test]
fn hadolint_accepts_the_dockerfile_of_every_example_without_any_finding() {
    let Some(hadolint) = common::tool("hadolint") else { return };
    for example in EXAMPLES {
        let out = support::gen_example(example, Versions::AsWritten);
        assert_hadolint_clean(&hadolint, &out.path().join("docker/Dockerfile"), example);
    }
}

#[test]
fn hadolint_accepts_the_dockerfile_of_an_alpine_base_image() {
    let Some(hadolint) = common::tool("hadolint") else { return };
    let spec = common::read("examples/minimal.yaml")
        + "\ncontainer:\n  base_image: eclipse-temurin:21.0.5_11-jre-alpine\n";
    let out = gen_text("alpine.yaml", &spec);
    let dockerfile = std::fs::read_to_string(out.path().join("docker/Dockerfile")).unwrap();
    assert!(dockerfile.contains("adduser -S -D -H -u 10001"), "BusyBox adduser on Alpine:\n{dockerfile}");
    assert!(!dockerfile.contains("useradd"), "{dockerfile}");
    assert_hadolint_clean(&hadolint, &out.path().join("docker/Dockerfile"), "alpine variant");
}

fn assert_hadolint_clean(hadolint: &Path, dockerfile: &Path, what: &str) {
    let result = Command::new(hadolint)
        .args(["--no-color", "--disable-ignore-pragma", "--failure-threshold", "style"])
        .arg(dockerfile)
        .current_dir(dockerfile.parent().unwrap())
        .output()
        .unwrap();
    let report = text(&result);
    assert!(result.status.success() && report.trim().is_empty(), "hadolint on {what}:\n{report}");
}

#[test]
fn shellcheck_finds_nothing_in_the_scripts_even_with_optional_checks() {
    let Some(shellcheck) = common::tool("shellcheck") else { return };
    for example in EXAMPLES {
        let out = support::gen_example(example, Versions::AsWritten);
        for script in ["docker/docker-entrypoint.sh", "docker/healthcheck.sh"] {
            let path = out.path().join(script);
            let result = Command::new(&shellcheck)
                .args(["--severity=style", "--enable=all", "--norc"])
                .arg(&path)
                .output()
                .unwrap();
            assert!(result.status.success(), "shellcheck on {example} {script}:\n{}", text(&result));
            let script_text = std::fs::read_to_string(&path).unwrap();
            assert!(script_text.starts_with("#!/bin/sh\n"), "{script} must be a POSIX sh script");
            assert!(script_text.contains("\nset -eu\n"), "{script} must stop on errors and unset variables");
        }
    }
}

#[test]
fn docker_compose_accepts_the_file_without_warnings() {
    let Some(compose) = common::tool("docker-compose") else { return };
    let (out, _) = streaming();
    let run = |env: &[(&str, &str)]| {
        let mut cmd = Command::new(&compose);
        cmd.args(["--file", "docker-compose.yml", "config"]).current_dir(out.path());
        for (name, _) in SECRETS {
            cmd.env_remove(name);
        }
        cmd.envs(env.iter().copied());
        cmd.output().unwrap()
    };

    let accepted = run(SECRETS);
    let stderr = String::from_utf8_lossy(&accepted.stderr);
    assert!(accepted.status.success(), "docker-compose config rejected it:\n{stderr}");
    assert!(!stderr.to_ascii_lowercase().contains("warn"), "docker-compose config warned:\n{stderr}");
    let resolved = String::from_utf8_lossy(&accepted.stdout);
    for service in [
        "streaming-app",
        "redis",
        "nginx",
        "haproxy",
        "prometheus",
        "redis-exporter",
        "nginx-exporter",
        "grafana",
    ] {
        assert!(resolved.contains(&format!("\n  {service}:\n")), "no service {service} in:\n{resolved}");
    }

    // Without a secret in the environment Compose refuses to start, naming it: an empty Redis or
    // Grafana password is never deployed by accident.
    let missing = run(&SECRETS[1..]);
    assert!(!missing.status.success(), "compose must refuse an unset REDIS_PASSWORD");
    assert!(text(&missing).contains("REDIS_PASSWORD"), "{}", text(&missing));
}

#[test]
fn the_minimal_example_has_no_compose_or_redis_files_but_an_image() {
    let out = support::gen_example("examples/minimal.yaml", Versions::AsWritten);
    let files = support::read_tree(out.path());
    for absent in
        ["docker-compose.yml", "redis/redis.conf", "grafana/provisioning/datasources/prometheus.yml"]
    {
        assert!(!files.contains_key(absent), "minimal.yaml has no {absent}; got {:?}", files.keys());
    }
    for present in ["docker/Dockerfile", "docker/docker-entrypoint.sh", "docker/healthcheck.sh"] {
        assert!(files.contains_key(present), "minimal.yaml still describes an image: {present}");
    }
}

#[test]
fn redis_server_starts_with_the_generated_config_and_requires_the_password() {
    let (Some(redis_server), Some(redis_cli)) = (common::tool("redis-server"), common::tool("redis-cli"))
    else {
        return;
    };
    let (out, files) = streaming();
    let conf = out.path().join("redis/redis.conf");
    // The command line compose runs, with the config at its generated path and the password
    // from the environment; then what a test needs on top: loopback and a free port.
    let services = compose_services(&files);
    let command: Vec<String> = services["redis"]["command"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    assert_eq!(command[0], "redis-server");
    assert_eq!(command[1], "/usr/local/etc/redis/redis.conf");
    assert_eq!(command[2], "--requirepass");
    assert!(command[3].starts_with("${REDIS_PASSWORD:?"), "{command:?}");
    let password = "test-only-redis";
    let (port, data, server) = start_redis(&redis_server, &conf, &["--requirepass", password]);

    let cli = |auth: Option<&str>, args: &[&str]| {
        let mut cmd = Command::new(&redis_cli);
        cmd.args(["-h", "127.0.0.1", "-p", &port.to_string()]).args(args).env_remove("REDISCLI_AUTH");
        if let Some(auth) = auth {
            cmd.env("REDISCLI_AUTH", auth);
        }
        text(&cmd.output().unwrap()).trim().to_string()
    };
    assert!(cli(None, &["ping"]).contains("NOAUTH"), "unauthenticated PING must be refused");
    assert!(cli(None, &["set", "k", "v"]).contains("NOAUTH"), "unauthenticated writes must be refused");
    assert!(cli(Some("wrong"), &["ping"]).contains("WRONGPASS"));
    assert_eq!(cli(Some(password), &["ping"]), "PONG");
    assert_eq!(cli(Some(password), &["set", "session:1", "open"]), "OK");
    assert_eq!(cli(Some(password), &["eval", "return redis.call('get', KEYS[1])", "1", "session:1"]), "open");
    // The spec's limits are in force.
    assert_eq!(cli(Some(password), &["config", "get", "maxmemory"]), "maxmemory\n268435456");
    assert_eq!(cli(Some(password), &["config", "get", "maxmemory-policy"]), "maxmemory-policy\nnoeviction");
    assert_eq!(cli(Some(password), &["config", "get", "appendonly"]), "appendonly\nyes");
    // Dangerous commands are gone, and CONFIG cannot move the data folder.
    assert!(cli(Some(password), &["flushall"]).contains("unknown command"));
    assert!(cli(Some(password), &["flushdb"]).contains("unknown command"));
    assert!(cli(Some(password), &["config", "set", "dir", "/etc"]).contains("protected config"));
    assert!(cli(Some(password), &["debug", "sleep", "0"]).contains("not allowed"));
    // Logs went to stdout (no log file), and the password is not on the process title.
    let logged = std::fs::read_to_string(data.path().join(REDIS_LOG)).unwrap();
    assert!(logged.contains("Ready to accept connections"), "{logged}");
    if let Ok(cmdline) = std::fs::read(format!("/proc/{}/cmdline", server.0.id())) {
        assert!(!String::from_utf8_lossy(&cmdline).contains(password), "password visible in ps");
    }
}

// ---------------------------------------------------------------------------------------------
// The scripts behave

/// An HTTP server on loopback answering every request with `status`, until dropped.
struct Health {
    port: u16,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl Health {
    fn answering(status: u16) -> Health {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = stop.clone();
        std::thread::spawn(move || {
            while !flag.load(std::sync::atomic::Ordering::Relaxed) {
                match listener.accept() {
                    Ok((mut conn, _)) => {
                        conn.set_nonblocking(false).unwrap();
                        let mut buf = [0u8; 2048];
                        let n = conn.read(&mut buf).unwrap_or(0);
                        let request = String::from_utf8_lossy(&buf[..n]);
                        let found = request.starts_with("GET /actuator/health/readiness ");
                        let code = if found { status } else { 404 };
                        let _ = write!(
                            conn,
                            "HTTP/1.1 {code} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                        );
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(10)),
                }
            }
        });
        Health { port, stop }
    }
}

impl Drop for Health {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

fn healthcheck_script_for_port(port: u16) -> tempfile::TempDir {
    let spec = common::read("examples/minimal.yaml").replace(
        "  image: ghcr.io/acme/chat:1.0.0",
        &format!("  image: ghcr.io/acme/chat:1.0.0\n  ports: {{ http: 8080, management: {port} }}"),
    );
    gen_text("health.yaml", &spec)
}

#[test]
fn the_healthcheck_passes_only_when_readiness_answers_2xx_with_curl_or_wget() {
    // Each HTTP client the script may find in a base image, alone on PATH with `sh`.
    for client in ["curl", "wget"] {
        let Some(program) = common::tool(client) else { continue };
        let bin = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(&program, bin.path().join(client)).unwrap();
        std::os::unix::fs::symlink(common::tool("sh").unwrap(), bin.path().join("sh")).unwrap();
        let run = |port: u16| {
            let out = healthcheck_script_for_port(port);
            Command::new(bin.path().join("sh"))
                .arg(out.path().join("docker/healthcheck.sh"))
                .env("PATH", bin.path())
                .output()
                .unwrap()
        };
        let ready = Health::answering(200);
        let passed = run(ready.port);
        assert!(passed.status.success(), "{client}: a ready instance must pass: {}", text(&passed));
        let unready = Health::answering(503);
        assert!(!run(unready.port).status.success(), "{client}: 503 from readiness must fail the check");
        assert!(!run(free_port()).status.success(), "{client}: nothing listening must fail the check");
    }
    // Neither client: the check fails, saying why, instead of passing by accident.
    let empty = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(common::tool("sh").unwrap(), empty.path().join("sh")).unwrap();
    let out = healthcheck_script_for_port(free_port());
    let bare = Command::new(empty.path().join("sh"))
        .arg(out.path().join("docker/healthcheck.sh"))
        .env("PATH", empty.path())
        .output()
        .unwrap();
    assert!(!bare.status.success() && text(&bare).contains("neither curl nor wget"), "{}", text(&bare));
}

/// The Dockerfile's `RUN` instruction as one shell command (continuation lines joined).
fn run_instruction(dockerfile: &str) -> String {
    let mut lines = dockerfile.lines().skip_while(|l| !l.starts_with("RUN "));
    let mut command = String::new();
    for line in lines.by_ref() {
        let line = line.strip_prefix("RUN ").unwrap_or(line);
        match line.strip_suffix('\\') {
            Some(more) => command.push_str(more),
            None => {
                command.push_str(line);
                break;
            }
        }
    }
    assert!(!command.is_empty(), "no RUN instruction in:\n{dockerfile}");
    command
}

/// Runs `steps` (shell, as root) in a private mount namespace where `root` imitates the image on
/// a Debian-like host: the host's programs bound read-only, a private copy of the account files,
/// and the two scripts at their image paths, as COPY leaves them (mode 0644, owned by root).
fn in_image_root(root: &Path, files: &BTreeMap<String, String>, steps: &str) -> Output {
    std::fs::create_dir_all(root.join("etc/default")).unwrap();
    for f in ["passwd", "group", "shadow", "gshadow", "login.defs", "nsswitch.conf", "default/useradd"] {
        if Path::new("/etc").join(f).exists() {
            std::fs::copy(Path::new("/etc").join(f), root.join("etc").join(f)).unwrap();
        }
    }
    std::fs::create_dir_all(root.join(".image")).unwrap();
    for script in ["docker-entrypoint.sh", "healthcheck.sh"] {
        std::fs::write(root.join(".image").join(script), &files[&format!("docker/{script}")]).unwrap();
    }
    let r = root.display();
    let setup = format!(
        "set -e
for d in usr bin lib lib64 sbin; do
  [ -e /$d ] || continue
  mkdir -p '{r}'/$d && mount --bind /$d '{r}'/$d && mount -o remount,bind,ro '{r}'/$d
done
mkdir -p '{r}/proc' && mount --bind /proc '{r}/proc'
mount -t tmpfs tmpfs '{r}/usr/local' && mkdir -p '{r}/usr/local/bin'
cp '{r}'/.image/*.sh '{r}/usr/local/bin/' && chmod 0644 '{r}'/usr/local/bin/*.sh
set +e
{steps}"
    );
    Command::new("unshare").args(["--mount", "sh", "-c", &setup]).output().unwrap()
}

#[test]
fn the_image_steps_run_and_the_entrypoint_execs_as_the_app_user() {
    for tool in ["unshare", "chroot", "groupadd", "useradd"] {
        if common::tool(tool).is_none() {
            return;
        }
    }
    let (_out, files) = streaming();
    let root = tempfile::tempdir().unwrap();
    let r = root.path().display();
    let run = run_instruction(&files["docker/Dockerfile"]);
    // `\$\$` survives the outer shells, so the innermost shell prints its own PID.
    let steps = format!(
        "chroot '{r}' /bin/sh -c '{run}' || {{ echo \"RUN failed: $?\"; exit 90; }}
ls -ln '{r}/app' '{r}/usr/local/bin'
chroot --userspec=10001:10001 '{r}' /bin/sh -c 'echo outer=$$; exec /usr/local/bin/docker-entrypoint.sh /bin/sh -c \"echo inner=\\$\\$; exit 7\"'
echo status=$?
chown 0:0 '{r}/app/logs'
chroot --userspec=10001:10001 '{r}' /usr/local/bin/docker-entrypoint.sh /bin/echo started
echo refused=$?"
    );
    let result = in_image_root(root.path(), &files, &steps);
    let report = text(&result);
    assert!(!report.contains("RUN failed"), "the Dockerfile's RUN step failed:\n{run}\n{report}");
    let passwd = std::fs::read_to_string(root.path().join("etc/passwd")).unwrap();
    assert!(passwd.contains("app:x:10001:10001::/app:/usr/sbin/nologin\n"), "{passwd}");
    // The app user's folders are its own; the scripts are executable and stay root's.
    assert!(report.contains("10001 10001") && report.contains("logs") && report.contains("tmp"), "{report}");
    assert!(report.contains("-rwxr-xr-x 1 0 0"), "scripts must be executable:\n{report}");
    // As the app user, with its folders writable, the command replaces the entrypoint: the same
    // PID (so the JVM gets SIGTERM itself) and its exit code.
    assert!(report.contains("status=7"), "the command's exit code must come through:\n{report}");
    let pid = |tag: &str| report.lines().find_map(|l| l.strip_prefix(tag)).map(str::to_string);
    assert!(pid("outer=").is_some() && pid("outer=") == pid("inner="), "exec must keep the PID:\n{report}");
    // A folder the app user cannot write (a root-owned volume, say) stops it before the command.
    assert!(report.contains("/app/logs is not a writable folder for uid 10001"), "{report}");
    assert!(report.contains("refused=1") && !report.contains("\nstarted\n"), "{report}");
}

// ---------------------------------------------------------------------------------------------
// The seed's mistakes stay corrected (pitfalls.md Part 3, §3.4, §3.5, §3.7)

#[test]
fn the_dockerfile_corrects_the_seed() {
    let (_out, files) = streaming();
    let dockerfile = &files["docker/Dockerfile"];
    let instructions: Vec<&str> =
        dockerfile.lines().filter(|l| !l.trim_start().starts_with('#') && !l.trim().is_empty()).collect();
    let find =
        |keyword: &str| instructions.iter().filter(|l| l.starts_with(keyword)).copied().collect::<Vec<_>>();
    let code = instructions.join("\n");

    // A pinned JRE from the spec, not the deprecated openjdk JDK.
    assert_eq!(find("FROM "), ["FROM eclipse-temurin:17.0.13_11-jre-jammy"]);
    // No sysctl written into the image, and no apt packages (nothing to pin, nothing misnamed).
    assert!(!code.contains("sysctl"), "{dockerfile}");
    assert!(!code.contains("apt-get") && !code.contains("apk add"), "{dockerfile}");
    // JAVA_TOOL_OPTIONS (read by the JVM), not JAVA_OPTS (read by nothing here), with every flag.
    assert!(!code.contains("JAVA_OPTS"), "{dockerfile}");
    let options_start = dockerfile.find("ENV JAVA_TOOL_OPTIONS=\"").expect("JAVA_TOOL_OPTIONS");
    let options_end = options_start + dockerfile[options_start..].find("\"\n").unwrap();
    let options = &dockerfile[options_start..options_end];
    for flag in [
        "-XX:MaxRAMPercentage=70",
        "-XX:+UseG1GC",
        "-XX:MaxGCPauseMillis=50",
        "-Dreactor.netty.ioWorkerCount=8",
    ] {
        assert!(options.contains(flag), "{flag} missing from {options}");
    }
    assert!(!options.contains("-Xmx"), "a fixed heap equal to the limit gets the container killed");
    // A numeric non-root user, which owns the folders the app writes.
    let user = find("USER ");
    assert_eq!(user, ["USER 10001:10001"]);
    assert!(dockerfile.contains("chown 10001:10001 /app/logs /app/tmp"), "{dockerfile}");
    // Exec form, so the JVM gets SIGTERM; the entrypoint hands over with exec.
    assert_eq!(find("ENTRYPOINT "), ["ENTRYPOINT [\"/usr/local/bin/docker-entrypoint.sh\"]"]);
    assert_eq!(find("CMD "), ["CMD [\"java\", \"-jar\", \"/app/app.jar\"]"]);
    // The health check calls the script (readiness on the management port), with the spec's timing.
    assert!(
        dockerfile.contains("HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=5 \\\n    CMD [\"/usr/local/bin/healthcheck.sh\"]"),
        "{dockerfile}"
    );
    assert!(files["docker/healthcheck.sh"].contains("url='http://127.0.0.1:8081/actuator/health/readiness'"));
    assert_eq!(find("EXPOSE "), ["EXPOSE 8080 8082 8081"]);
    // The readiness group exists outside Kubernetes only when asked for.
    assert!(dockerfile.contains("MANAGEMENT_ENDPOINT_HEALTH_PROBES_ENABLED=true"), "{dockerfile}");
}

#[test]
fn the_scripts_correct_the_seed() {
    let (_out, files) = streaming();
    let entrypoint = &files["docker/docker-entrypoint.sh"];
    assert!(
        entrypoint.trim_end().ends_with("exec \"$@\""),
        "the entrypoint must end by exec'ing the command"
    );
    let code: Vec<&str> = entrypoint.lines().filter(|l| !l.trim_start().starts_with('#')).collect();
    for line in &code {
        let l = line.trim();
        assert!(!l.ends_with('&') && !l.contains(") &"), "no background job to leave unreaped: {l}");
        assert!(!l.starts_with("ulimit -n"), "a non-root process cannot raise its hard limit: {l}");
        assert!(
            !l.contains(" nc ") && !l.contains("bc -l") && !l.contains(" ss "),
            "tools not in the image: {l}"
        );
    }
    let healthcheck = &files["docker/healthcheck.sh"];
    assert!(!healthcheck.contains("bc ") && !healthcheck.contains(" nc "), "{healthcheck}");
    assert!(!healthcheck.contains("/actuator/health/streaming"), "no undefined health group");
}

#[test]
fn compose_dependencies_have_no_cycle_and_wait_for_health() {
    let (_out, files) = streaming();
    let compose = yaml(&files["docker-compose.yml"]);
    assert!(compose.get("version").is_none(), "the obsolete version key is gone");
    let services = compose["services"].as_object().unwrap();
    let mut graph: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (name, service) in services {
        assert!(service.get("container_name").is_none(), "{name}: container_name forbids replicas");
        let deps = service.get("depends_on").and_then(Value::as_object);
        let mut edges = Vec::new();
        for (dep, how) in deps.into_iter().flatten() {
            assert!(services.contains_key(dep), "{name} depends on a service that does not exist: {dep}");
            let condition = how["condition"].as_str().unwrap();
            assert!(
                ["service_healthy", "service_started"].contains(&condition),
                "{name} -> {dep}: {condition}"
            );
            if condition == "service_healthy" {
                assert!(services[dep].get("healthcheck").is_some(), "{dep} has no healthcheck to wait for");
            }
            edges.push(dep.as_str());
        }
        graph.insert(name.as_str(), edges);
    }
    assert_acyclic(&graph);
    // The seed's cycle was app -> nginx -> app: the app now waits for Redis only, and the proxies
    // for a healthy app.
    assert_eq!(graph["streaming-app"], ["redis"]);
    assert_eq!(services["streaming-app"]["depends_on"]["redis"]["condition"], "service_healthy");
    assert_eq!(services["nginx"]["depends_on"]["streaming-app"]["condition"], "service_healthy");
    assert_eq!(services["haproxy"]["depends_on"]["streaming-app"]["condition"], "service_healthy");
}

fn assert_acyclic(graph: &BTreeMap<&str, Vec<&str>>) {
    fn visit<'a>(
        node: &'a str,
        graph: &BTreeMap<&'a str, Vec<&'a str>>,
        path: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) {
        if done.contains(node) {
            return;
        }
        assert!(!path.contains(&node), "depends_on cycle: {} -> {node}", path.join(" -> "));
        path.push(node);
        for next in graph.get(node).into_iter().flatten() {
            visit(next, graph, path, done);
        }
        path.pop();
        done.insert(node);
    }
    let mut done = BTreeSet::new();
    for node in graph.keys() {
        visit(node, graph, &mut Vec::new(), &mut done);
    }
}

#[test]
fn the_cycle_check_itself_finds_a_cycle() {
    let graph: BTreeMap<&str, Vec<&str>> =
        [("app", vec!["nginx"]), ("nginx", vec!["app"])].into_iter().collect();
    let caught = std::panic::catch_unwind(|| assert_acyclic(&graph));
    assert!(caught.is_err(), "the seed's app <-> nginx cycle must be reported");
}

#[test]
fn compose_publishes_only_the_proxies_and_grafana() {
    let (_out, files) = streaming();
    let services = compose_services(&files);
    let ports = |name: &str| -> Vec<String> {
        services[name]
            .get("ports")
            .and_then(Value::as_array)
            .map(|p| p.iter().map(|v| v.as_str().unwrap().to_string()).collect())
            .unwrap_or_default()
    };
    for internal in ["streaming-app", "redis", "redis-exporter", "nginx-exporter"] {
        assert!(ports(internal).is_empty(), "{internal} must not be published: {:?}", ports(internal));
    }
    assert_eq!(ports("nginx"), ["0.0.0.0:80:80", "0.0.0.0:443:443"]);
    assert_eq!(ports("haproxy"), ["0.0.0.0:8000:8000", "0.0.0.0:8443:8443"]);
    assert_eq!(ports("prometheus"), ["127.0.0.1:9090:9090"], "Prometheus has no auth: loopback only");
    assert_eq!(ports("grafana"), ["0.0.0.0:3000:3000"]);
    let all: Vec<String> = services.keys().flat_map(|s| ports(s)).collect();
    assert!(!all.iter().any(|p| p.ends_with(":6379") || p.ends_with(":8081")), "{all:?}");
}

#[test]
fn the_publish_address_of_the_spec_is_used() {
    let spec = common::read("examples/streaming.yaml")
        .replace("publish_address: 0.0.0.0", "publish_address: 192.0.2.10");
    let out = gen_text("published.yaml", &spec);
    let files = support::read_tree(out.path());
    let services = compose_services(&files);
    assert_eq!(services["nginx"]["ports"][0], "192.0.2.10:80:80");
    assert_eq!(services["grafana"]["ports"][0], "192.0.2.10:3000:3000");
    assert_eq!(services["prometheus"]["ports"][0], "127.0.0.1:9090:9090");
}

#[test]
fn no_secret_is_written_literally_anywhere() {
    let (_out, files) = streaming();
    let services = compose_services(&files);
    let secretish = |name: &str| {
        ["PASSWORD", "SECRET", "TOKEN", "API_KEY"].iter().any(|w| name.contains(w)) || name.ends_with("_AUTH")
    };
    let mut checked = 0;
    for (service, def) in &services {
        for (name, value) in def.get("environment").and_then(Value::as_object).into_iter().flatten() {
            if secretish(name) {
                let value = value.as_str().unwrap();
                assert!(
                    value.starts_with("${") && value.ends_with('}') && value.contains(":?"),
                    "{service}.{name} must be a required ${{VAR:?}} reference, not {value:?}"
                );
                checked += 1;
            }
        }
    }
    assert!(checked >= 5, "expected the app, redis, exporter, haproxy and grafana secrets; saw {checked}");
    assert_eq!(
        services["grafana"]["environment"]["GF_SECURITY_ADMIN_PASSWORD"].as_str().unwrap().get(..25),
        Some("${GRAFANA_ADMIN_PASSWORD:")
    );
    let redis_conf = &files["redis/redis.conf"];
    for directive in ["requirepass", "masterauth", "user "] {
        assert!(
            !redis_conf.lines().any(|l| l.trim_start().starts_with(directive)),
            "redis.conf must not hold a password ({directive})"
        );
    }
    for (path, text) in &files {
        assert!(!text.contains("streaming_admin"), "{path} has the seed's hard-coded Grafana password");
    }
}

#[test]
fn every_image_is_pinned() {
    let (_out, files) = streaming();
    let services = compose_services(&files);
    let mut images: Vec<String> =
        services.values().filter_map(|s| s.get("image")).map(|i| i.as_str().unwrap().to_string()).collect();
    images.extend(
        files["docker/Dockerfile"].lines().filter_map(|l| l.strip_prefix("FROM ")).map(str::to_string),
    );
    assert!(images.len() >= 9, "{images:?}");
    for image in images {
        let last = image.rsplit('/').next().unwrap();
        let tag = last.split_once(':').map(|(_, t)| t);
        assert!(image.contains("@sha256:") || tag.is_some_and(|t| t != "latest"), "floating image {image}");
        assert!(!["alpine", "slim"].contains(&tag.unwrap_or("")), "distro-only tag {image}");
    }
    for (path, text) in &files {
        assert!(!text.contains(":latest"), "{path} mentions a :latest image");
    }
}

#[test]
fn compose_sets_only_namespaced_sysctls_and_the_spec_limits() {
    let (_out, files) = streaming();
    let services = compose_services(&files);
    let app = &services["streaming-app"];
    let sysctls = app["sysctls"].as_object().unwrap();
    assert_eq!(sysctls.keys().collect::<Vec<_>>(), ["net.core.somaxconn", "net.ipv4.tcp_max_syn_backlog"]);
    for service in services.values() {
        for name in service.get("sysctls").and_then(Value::as_object).into_iter().flatten().map(|(k, _)| k) {
            assert!(sseconf::spec::semantic::is_namespaced_sysctl(name), "{name} would fail the container");
        }
    }
    assert_eq!(app["deploy"]["replicas"], 3);
    assert_eq!(app["deploy"]["resources"]["limits"]["cpus"], "1.5");
    assert_eq!(app["deploy"]["resources"]["limits"]["memory"], "2gb");
    assert_eq!(app["deploy"]["resources"]["reservations"]["memory"], "1gb");
    assert_eq!(app["ulimits"]["nofile"]["soft"], 65535);
    assert_eq!(app["restart"], "unless-stopped");
    // The drain: Spring lets streams finish for the spec's grace period, Docker waits longer.
    assert_eq!(app["environment"]["SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWNPHASE"], "300s");
    assert_eq!(app["stop_grace_period"], "310s");
    assert_eq!(app["environment"]["SPRING_DATA_REDIS_HOST"], "redis");
    assert_eq!(app["environment"]["SPRING_DATA_REDIS_PORT"], "6379");
}

#[test]
fn compose_mounts_the_generated_configs_read_only() {
    let (_out, files) = streaming();
    let services = compose_services(&files);
    let mut mounted = BTreeSet::new();
    for (service, def) in &services {
        for volume in def.get("volumes").and_then(Value::as_array).into_iter().flatten() {
            let volume = volume.as_str().unwrap();
            let Some(local) = volume.strip_prefix("./") else { continue };
            assert!(volume.ends_with(":ro"), "{service}: configs are mounted read-only: {volume}");
            let local = local.split(':').next().unwrap();
            mounted.insert(local.to_string());
        }
    }
    // What the other targets (Prometheus rules, the dashboard) and the operator (TLS) provide.
    let elsewhere = ["prometheus/prometheus.yml", "prometheus/rules.yml", "grafana/dashboard.json"];
    for path in &mounted {
        if path.contains("/tls/") || elsewhere.contains(&path.as_str()) {
            continue;
        }
        let generated =
            files.contains_key(path.as_str()) || files.keys().any(|f| f.starts_with(&format!("{path}/")));
        assert!(generated, "compose mounts {path}, which gen did not write");
    }
    for expected in ["nginx/nginx.conf", "haproxy/haproxy.cfg", "redis/redis.conf", "prometheus/rules.yml"] {
        assert!(mounted.contains(expected), "{expected} is not mounted: {mounted:?}");
    }
    assert!(files.contains_key("grafana/provisioning/datasources/prometheus.yml"));
    assert!(files.contains_key("grafana/provisioning/dashboards/sseconf.yml"));
}

#[test]
fn exporters_use_the_names_and_ports_prometheus_scrapes() {
    let (_out, files) = streaming();
    let services = compose_services(&files);
    assert!(services.contains_key("streaming-app") && services.contains_key("redis-exporter"));
    assert_eq!(services["redis-exporter"]["environment"]["REDIS_ADDR"], "redis://redis:6379");
    assert_eq!(services["nginx-exporter"]["command"][0], "--nginx.scrape-uri=https://nginx:443/nginx_status");
}

#[test]
fn redis_conf_corrects_the_seed() {
    let (_out, files) = streaming();
    let conf = &files["redis/redis.conf"];
    let directives: Vec<&str> =
        conf.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()).collect();
    let has = |d: &str| directives.contains(&d);
    assert!(has("protected-mode yes"));
    assert!(has("logfile \"\""), "log to stdout, never to a folder the image lacks");
    assert!(!directives.iter().any(|d| d.starts_with("logfile \"/")));
    assert!(has("maxmemory 256mb") && has("maxmemory-policy noeviction"), "{conf}");
    assert!(has("appendonly yes") && has("appendfsync everysec") && has("save 60 10000"));
    assert!(has("maxclients 10000"));
    assert!(has("rename-command FLUSHALL \"\"") && has("rename-command FLUSHDB \"\""));
    assert!(!has("bind 0.0.0.0"), "bind is for the container's interfaces, unpublished");
}

#[test]
fn redis_conf_follows_the_spec_and_older_images() {
    let spec = common::read("examples/streaming.yaml")
        .replace("image: redis:7.4.1-alpine", "image: redis:6.2.14-alpine")
        .replace("eviction: noeviction", "eviction: volatile-lru")
        .replace("max_memory: 256mb", "max_memory: 1gb");
    let out = gen_text("redis6.yaml", &spec);
    let conf = std::fs::read_to_string(out.path().join("redis/redis.conf")).unwrap();
    assert!(
        conf.contains("\nmaxmemory 1gb\n") && conf.contains("\nmaxmemory-policy volatile-lru\n"),
        "{conf}"
    );
    assert!(!conf.contains("enable-debug-command"), "Redis 6 refuses the 7.0 settings:\n{conf}");
    assert!(conf.contains("rename-command DEBUG \"\""), "{conf}");
    // Redis 6 ignores protected mode once any `bind` is set; without one it listens everywhere
    // and protected mode still guards a password-less start.
    assert!(!conf.lines().any(|l| l.starts_with("bind ")), "{conf}");
}

/// RDS006 reads `client-output-buffer-limit pubsub` as redis-server does: for every fixture of
/// the rule that writes the class, the rule fires exactly when the limits the server reports
/// (`CONFIG GET`, in bytes, after its own unit parsing and last-line-wins) are both set and at
/// most the default 32mb/8mb. Units (`kb` vs `k`, any case) and several classes on one line are
/// where a reimplementation would drift.
#[test]
fn rds006_reads_the_pubsub_limit_as_redis_server_does() {
    let (Some(redis_server), Some(redis_cli)) = (common::tool("redis-server"), common::tool("redis-cli"))
    else {
        return;
    };
    let dir = common::root().join("tests/fixtures/lint/redis/RDS006");
    let mut fixtures: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    fixtures.sort();
    let mut compared = 0;
    for fixture in fixtures {
        let conf = std::fs::read_to_string(&fixture).unwrap();
        let findings = sseconf::lint::kinds::lint_text(
            sseconf::parse::kind::FileKind::Redis,
            "redis.conf",
            &conf,
            &sseconf::lint::Settings::default(),
        );
        let fires = findings.iter().any(|f| f.code == "RDS006");
        let writes_pubsub =
            conf.lines().any(|l| !l.starts_with('#') && l.to_ascii_lowercase().contains("pubsub"));
        if !writes_pubsub {
            assert!(!fires, "{}: the class is not written, yet RDS006 fires", fixture.display());
            continue;
        }
        let (port, _data, _server) = start_redis(&redis_server, &fixture, &["--save", ""]);
        let got = Command::new(&redis_cli)
            .args(["-h", "127.0.0.1", "-p", &port.to_string(), "config", "get", "client-output-buffer-limit"])
            .output()
            .unwrap();
        let limits = text(&got);
        let words: Vec<&str> = limits.split_whitespace().collect();
        let at = words.iter().position(|w| *w == "pubsub").unwrap_or_else(|| panic!("{limits}"));
        let hard: u64 = words[at + 1].parse().unwrap();
        let soft: u64 = words[at + 2].parse().unwrap();
        let expected = (1..=32 * 1_048_576).contains(&hard) && (1..=8 * 1_048_576).contains(&soft);
        assert_eq!(fires, expected, "{}: redis-server reads pubsub {hard} {soft}", fixture.display());
        compared += 1;
    }
    assert!(compared >= 6, "only {compared} fixtures compared");
}

/// `docker-compose config` on `dir`, with the test secrets in the environment.
fn compose_config(compose: &Path, dir: &Path) -> Output {
    let mut cmd = Command::new(compose);
    cmd.args(["--file", "docker-compose.yml", "config"]).current_dir(dir).envs(SECRETS.iter().copied());
    cmd.output().unwrap()
}

#[test]
fn docker_compose_accepts_a_minimal_stack_without_redis_or_monitoring() {
    let Some(compose) = common::tool("docker-compose") else { return };
    // compose's default services are app, redis and proxy; with no `redis:` section there is no
    // Redis to run, so the app depends on nothing and carries no Redis settings.
    let spec = common::read("examples/minimal.yaml") + "\ncompose: {}\n";
    let out = gen_text("small.yaml", &spec);
    let files = support::read_tree(out.path());
    let services = compose_services(&files);
    assert_eq!(services.keys().collect::<Vec<_>>(), ["chat", "nginx"]);
    assert!(services["chat"].get("depends_on").is_none());
    assert!(!files["docker-compose.yml"].contains("REDIS"), "{}", files["docker-compose.yml"]);
    assert_eq!(services["nginx"]["ports"], serde_json::json!(["0.0.0.0:80:80"]));
    assert!(!files.contains_key("redis/redis.conf") && !files.keys().any(|f| f.starts_with("grafana/")));
    let result = compose_config(&compose, out.path());
    assert!(result.status.success(), "{}", text(&result));
    assert!(
        !String::from_utf8_lossy(&result.stderr).to_ascii_lowercase().contains("warn"),
        "{}",
        text(&result)
    );
}

#[test]
fn haproxy_on_privileged_ports_gets_the_sysctl_it_needs() {
    let Some(compose) = common::tool("docker-compose") else { return };
    let spec = common::read("examples/streaming.yaml")
        .replacen("listen: { http: 80, https: 443 }", "listen: { http: 8088, https: 8449 }", 1)
        .replace("listen: { http: 8000, https: 8443 }", "listen: { http: 80, https: 443 }");
    let out = gen_text("haproxy80.yaml", &spec);
    let files = support::read_tree(out.path());
    let services = compose_services(&files);
    // The official image runs HAProxy as a non-root user, which cannot bind port 80 without it.
    assert_eq!(services["haproxy"]["sysctls"]["net.ipv4.ip_unprivileged_port_start"], 0);
    assert_eq!(services["haproxy"]["ports"][0], "0.0.0.0:80:80");
    assert!(services["nginx"].get("sysctls").is_none(), "nginx's master runs as root");
    assert_eq!(
        services["nginx-exporter"]["command"][0],
        "--nginx.scrape-uri=https://nginx:8449/nginx_status"
    );
    let result = compose_config(&compose, out.path());
    assert!(result.status.success(), "{}", text(&result));
}

#[test]
fn spring_settings_are_only_set_for_actuator_health_paths() {
    let spec = common::read("examples/minimal.yaml").replace(
        "  image: ghcr.io/acme/chat:1.0.0",
        "  image: ghcr.io/acme/chat:1.0.0\n  health: { liveness: /livez, readiness: /readyz }\n  metrics_path: /metrics",
    );
    let out = gen_text("plain.yaml", &spec);
    let files = support::read_tree(out.path());
    let dockerfile = &files["docker/Dockerfile"];
    assert!(!dockerfile.contains("SERVER_SHUTDOWN") && !dockerfile.contains("MANAGEMENT_"), "{dockerfile}");
    assert!(files["docker/healthcheck.sh"].contains("url='http://127.0.0.1:8081/readyz'"));
    // hadolint still has nothing to say about the shorter file.
    if let Some(hadolint) = common::tool("hadolint") {
        assert_hadolint_clean(&hadolint, &out.path().join("docker/Dockerfile"), "non-Spring variant");
    }
}

/// The Compose Specification's schema, which Compose v2 validates against (Debian's 1.29 is older).
fn compose_spec_schema() -> Option<Value> {
    let path = common::shared().join("reference/schemas/compose-spec.json");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("SKIPPED: {} is missing", path.display());
        return None;
    };
    Some(serde_json::from_str(&text).unwrap())
}

#[test]
fn the_compose_file_is_valid_under_the_current_compose_specification() {
    let Some(schema) = compose_spec_schema() else { return };
    let validator = jsonschema::validator_for(&schema).unwrap();
    let small = gen_text("small.yaml", &(common::read("examples/minimal.yaml") + "\ncompose: {}\n"));
    for (what, dir) in [("streaming.yaml", streaming().0), ("minimal + compose", small)] {
        let compose = yaml(&std::fs::read_to_string(dir.path().join("docker-compose.yml")).unwrap());
        let errors: Vec<String> =
            validator.iter_errors(&compose).map(|e| format!("{}: {e}", e.instance_path())).collect();
        assert!(errors.is_empty(), "{what}: the Compose Specification rejects:\n{}", errors.join("\n"));
    }
    // The validator does reject what Compose would: a list where a mapping belongs.
    let broken = serde_json::json!({ "services": { "app": { "image": "a:1", "ulimits": ["nofile=1"] } } });
    assert!(!validator.is_valid(&broken));
}

#[test]
fn every_subset_of_compose_services_is_accepted() {
    let compose = common::tool("docker-compose");
    let validator = compose_spec_schema().map(|s| jsonschema::validator_for(&s).unwrap());
    let full = "services: [app, redis, proxy, prometheus, grafana]";
    for services in
        ["[redis]", "[grafana]", "[app, prometheus]", "[proxy, grafana, prometheus]", "[app, redis]"]
    {
        let spec = common::read("examples/streaming.yaml")
            .replace(full, &format!("services: {services}"))
            .replace("restart: unless-stopped", "restart: \"no\"");
        let out = gen_text("subset.yaml", &spec);
        let files = support::read_tree(out.path());
        let names = compose_services(&files).keys().cloned().collect::<Vec<_>>();
        // `no` is a YAML boolean unless quoted; Compose wants the string.
        assert!(files["docker-compose.yml"].contains("restart: \"no\""), "{services}");
        for (service, def) in compose_services(&files) {
            for dep in def.get("depends_on").and_then(Value::as_object).into_iter().flatten().map(|(d, _)| d)
            {
                assert!(names.contains(dep), "{services}: {service} depends on absent {dep}");
            }
        }
        assert_eq!(
            files.contains_key("grafana/provisioning/datasources/prometheus.yml"),
            names.contains(&"grafana".to_string()),
            "{services}: Grafana's provisioning comes with Grafana"
        );
        if let Some(validator) = &validator {
            assert!(validator.is_valid(&yaml(&files["docker-compose.yml"])), "{services}: schema");
        }
        if let Some(compose) = &compose {
            let result = compose_config(compose, out.path());
            assert!(result.status.success(), "{services}: {}", text(&result));
        }
    }
    // No service at all: Compose would refuse the file, so there is none.
    let out = gen_text("none.yaml", &common::read("examples/streaming.yaml").replace(full, "services: []"));
    assert!(!out.path().join("docker-compose.yml").exists());
}
