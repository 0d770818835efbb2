//! The spec: one declarative description of a streaming deployment. The doc comments here are the
//! documentation: they become the JSON Schema's descriptions, which editors show on hover.
//!
//! Every section but `service` and `endpoints` is optional or defaulted; a section that is absent
//! disables the files it would produce (no `haproxy:` means no haproxy.cfg).

use super::types::{
    BeanName, BuildPath, Cidr, Cpu, DnsName, Duration, EnvName, EnvValue, FilePath, HeaderName, Host, Image,
    JvmOption, Origin, ParamName, RouteUri, ServerName, Size, SysctlName, UrlPath, Version, Word,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// An sseconf spec: the whole streaming deployment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    /// The application that produces the streams.
    pub service: Service,
    /// The streaming endpoints (SSE and WebSocket). Every layer is configured so these stream
    /// unbuffered and outlive their heartbeat gaps.
    #[schemars(length(min = 1))]
    pub endpoints: Vec<Endpoint>,
    /// How a client stays on one backend across reconnects.
    #[serde(default)]
    pub affinity: Affinity,
    /// The backend instances the proxies balance across. Defaults to the service itself.
    #[serde(default)]
    pub backends: Backends,
    /// nginx as the front proxy. Absent: no nginx.conf.
    #[serde(default)]
    #[schemars(with = "Nginx")]
    pub nginx: Option<Nginx>,
    /// HAProxy as the front proxy. Absent: no haproxy.cfg.
    #[serde(default)]
    #[schemars(with = "Haproxy")]
    pub haproxy: Option<Haproxy>,
    /// Spring Cloud Gateway in front of the service. Absent: no application.yml.
    #[serde(default)]
    #[schemars(with = "Gateway")]
    pub gateway: Option<Gateway>,
    /// Redis for sessions and rate limiting. Absent: no redis.conf.
    #[serde(default)]
    #[schemars(with = "Redis")]
    pub redis: Option<Redis>,
    /// The application's container image build.
    #[serde(default)]
    pub container: Container,
    /// docker-compose for a single host. Absent: no docker-compose.yml.
    #[serde(default)]
    #[schemars(with = "Compose")]
    pub compose: Option<Compose>,
    /// Kubernetes manifests. Absent: no k8s/.
    #[serde(default)]
    #[schemars(with = "Kubernetes")]
    pub kubernetes: Option<Kubernetes>,
    /// Prometheus scraping, alert rules and a Grafana dashboard. Absent: no prometheus/ or grafana/.
    #[serde(default)]
    #[schemars(with = "Monitoring")]
    pub monitoring: Option<Monitoring>,
    /// Engine versions the output targets, where their syntax changed between releases.
    #[serde(default)]
    pub versions: Versions,
}

/// The streaming application.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Service {
    /// Name of the service: container, Deployment and Service name.
    pub name: DnsName,
    /// Image of the application, pinned to a tag or digest (never `latest`).
    pub image: Image,
    /// Ports the application listens on.
    #[serde(default)]
    pub ports: ServicePorts,
    /// Number of instances (Kubernetes replicas, compose `deploy.replicas`).
    #[serde(default = "default_replicas")]
    #[schemars(range(min = 1, max = 1000))]
    pub replicas: u32,
    /// CPU and memory requests and limits.
    #[serde(default)]
    pub resources: Resources,
    /// Plain environment variables. Secrets go in `secret_environment`.
    #[serde(default)]
    pub environment: BTreeMap<EnvName, EnvValue>,
    /// Environment variables taken from a secret (Kubernetes Secret, or the host environment in
    /// compose), never written literally.
    #[serde(default)]
    pub secret_environment: BTreeMap<EnvName, SecretRef>,
    /// JVM settings, for Java services. Passed in `JAVA_TOOL_OPTIONS`, which the JVM reads itself.
    #[serde(default)]
    #[schemars(with = "Jvm")]
    pub jvm: Option<Jvm>,
    /// The unprivileged user the process runs as.
    #[serde(default)]
    pub user: RunAs,
    /// Health endpoints of the application, served on the management port.
    #[serde(default)]
    pub health: Health,
    /// Path of the Prometheus metrics endpoint on the management port.
    #[serde(default = "default_metrics_path")]
    pub metrics_path: UrlPath,
}

fn default_replicas() -> u32 {
    1
}
fn default_metrics_path() -> UrlPath {
    UrlPath::from("/actuator/prometheus")
}

/// The application's ports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct ServicePorts {
    /// HTTP and SSE traffic.
    #[schemars(range(min = 1, max = 65535))]
    pub http: u16,
    /// Management (actuator: health and metrics); never published to clients.
    #[schemars(range(min = 1, max = 65535))]
    pub management: u16,
    /// A separate WebSocket port, if the application has one; else WebSockets use `http`.
    #[schemars(range(min = 1, max = 65535))]
    #[schemars(with = "u16")]
    pub websocket: Option<u16>,
}

impl Default for ServicePorts {
    fn default() -> Self {
        Self { http: 8080, management: 8081, websocket: None }
    }
}

/// CPU and memory for one container.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Resources {
    /// What the scheduler reserves.
    pub requests: ResourceAmounts,
    /// The ceiling; the memory limit is where the container is killed.
    pub limits: ResourceAmounts,
}

impl Default for Resources {
    fn default() -> Self {
        Self {
            requests: ResourceAmounts { cpu: Cpu::millis(250), memory: Size::mib(512) },
            limits: ResourceAmounts { cpu: Cpu::millis(1000), memory: Size::mib(1024) },
        }
    }
}

/// An amount of CPU and memory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ResourceAmounts {
    /// CPU: `500m` or `1.5`.
    pub cpu: Cpu,
    /// Memory: `512Mi`, `2Gi`.
    pub memory: Size,
}

/// A reference to a secret value: an environment variable of the host or CI, or a Kubernetes
/// Secret. Never a literal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SecretRef {
    /// Name of the environment variable that holds the value at deploy time (compose reads it from
    /// the host environment or `.env`).
    pub env: EnvName,
    /// Kubernetes Secret that holds the value (defaults to `<service>-secrets`).
    #[serde(default)]
    #[schemars(with = "DnsName")]
    pub secret: Option<DnsName>,
    /// Key inside the Kubernetes Secret (defaults to the lower-cased variable name).
    #[serde(default)]
    #[schemars(with = "ParamName")]
    pub key: Option<ParamName>,
}

/// JVM settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Jvm {
    /// Heap as a percentage of the container memory limit (`-XX:MaxRAMPercentage`). Leave room for
    /// direct buffers, metaspace and threads: streams hold Netty buffers outside the heap.
    #[serde(default = "default_ram_percentage")]
    #[schemars(range(min = 10, max = 90))]
    pub max_ram_percentage: u8,
    /// Further JVM options.
    #[serde(default)]
    pub options: Vec<JvmOption>,
}

fn default_ram_percentage() -> u8 {
    70
}

/// The user a container runs as.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct RunAs {
    /// Numeric user id (not 0).
    #[schemars(range(min = 1, max = 2147483647))]
    pub uid: u32,
    /// Numeric group id.
    #[schemars(range(min = 1, max = 2147483647))]
    pub gid: u32,
}

impl Default for RunAs {
    fn default() -> Self {
        Self { uid: 10001, gid: 10001 }
    }
}

/// Health endpoints on the management port.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Health {
    /// Liveness: the process is alive. Must not depend on Redis or other services, or an outage
    /// of those restarts every pod.
    pub liveness: UrlPath,
    /// Readiness: the instance may take new streams.
    pub readiness: UrlPath,
}

impl Default for Health {
    fn default() -> Self {
        Self {
            liveness: UrlPath::from("/actuator/health/liveness"),
            readiness: UrlPath::from("/actuator/health/readiness"),
        }
    }
}

/// A streaming endpoint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Endpoint {
    /// URL path prefix of the endpoint.
    pub path: UrlPath,
    /// Server-Sent Events or WebSocket.
    pub kind: StreamKind,
    /// HTTP methods clients use (POST for LLM prompts). Decides what may be retried.
    #[serde(default = "default_methods")]
    pub methods: Vec<Method>,
    /// How often the server sends a heartbeat (an SSE comment or a WebSocket ping) on a quiet
    /// stream. Every idle timeout on the path must be longer.
    #[serde(default = "default_heartbeat")]
    pub heartbeat: Duration,
    /// The longest a single stream may last. Total timeouts (gateway circuit breaker, drain) must
    /// not be shorter.
    #[serde(default = "default_max_duration")]
    pub max_duration: Duration,
    /// How long a stream may stay silent before a proxy closes it. Defaults to 4 × heartbeat.
    #[serde(default)]
    #[schemars(with = "Duration")]
    pub idle_timeout: Option<Duration>,
    /// Per-layer idle timeouts, where one layer must differ from `idle_timeout`.
    #[serde(default)]
    pub timeouts: LayerTimeouts,
    /// Where the session key of a stream comes from (for affinity and rate limiting).
    #[serde(default)]
    pub session_key: SessionKey,
}

fn default_methods() -> Vec<Method> {
    vec![Method::Get]
}
fn default_heartbeat() -> Duration {
    Duration::from_secs(15)
}
fn default_max_duration() -> Duration {
    Duration::from_secs(3600)
}

impl Endpoint {
    /// The idle timeout every layer uses unless overridden: `idle_timeout`, or 4 × heartbeat.
    pub fn idle(&self) -> Duration {
        self.idle_timeout.unwrap_or_else(|| self.heartbeat.saturating_mul(4))
    }
    pub fn nginx_timeout(&self) -> Duration {
        self.timeouts.nginx.unwrap_or_else(|| self.idle())
    }
    pub fn haproxy_timeout(&self) -> Duration {
        self.timeouts.haproxy.unwrap_or_else(|| self.idle())
    }
    pub fn ingress_timeout(&self) -> Duration {
        self.timeouts.ingress.unwrap_or_else(|| self.idle())
    }
    pub fn is_websocket(&self) -> bool {
        self.kind == StreamKind::Websocket
    }
}

/// Idle timeouts of individual layers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LayerTimeouts {
    /// nginx `proxy_read_timeout` / `proxy_send_timeout`.
    #[serde(default)]
    #[schemars(with = "Duration")]
    pub nginx: Option<Duration>,
    /// HAProxy `timeout server` / `timeout client` (and `timeout tunnel` for WebSockets).
    #[serde(default)]
    #[schemars(with = "Duration")]
    pub haproxy: Option<Duration>,
    /// ingress-nginx `proxy-read-timeout` / `proxy-send-timeout`.
    #[serde(default)]
    #[schemars(with = "Duration")]
    pub ingress: Option<Duration>,
}

/// The protocol of a streaming endpoint: `sse` (Server-Sent Events, a long `text/event-stream`
/// response) or `websocket` (an upgraded, bidirectional connection).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum StreamKind {
    Sse,
    Websocket,
}

/// An HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
    Head,
    Options,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
            Method::Head => "HEAD",
            Method::Options => "OPTIONS",
        }
    }
    /// Safe to replay on another backend (RFC 9110 §9.2.2).
    pub fn is_idempotent(self) -> bool {
        !matches!(self, Method::Post | Method::Patch)
    }
}

/// Where a session key is read from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SessionKey {
    /// The source of the key.
    pub from: KeySource,
    /// Header, cookie or query parameter name (not used for `client-ip`).
    #[serde(default)]
    #[schemars(with = "ParamName")]
    pub name: Option<ParamName>,
}

impl Default for SessionKey {
    fn default() -> Self {
        Self { from: KeySource::ClientIp, name: None }
    }
}

/// The source of a session key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum KeySource {
    Header,
    Cookie,
    Query,
    ClientIp,
}

/// Session affinity: how the proxies pick the same backend for the same client.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Affinity {
    /// `none` (round robin: streams resume anywhere with Last-Event-ID), `client-ip` (breaks down
    /// behind NAT and load balancers) or `consistent-hash` on a session key.
    pub mode: AffinityMode,
    /// The key to hash for `consistent-hash`.
    #[serde(default)]
    #[schemars(with = "SessionKey")]
    pub key: Option<SessionKey>,
}

impl Default for Affinity {
    fn default() -> Self {
        Self { mode: AffinityMode::None, key: None }
    }
}

/// An affinity mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum AffinityMode {
    None,
    ClientIp,
    ConsistentHash,
}

/// The backend pool.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Backends {
    /// Backend servers; empty means the service itself at its HTTP port.
    pub servers: Vec<Server>,
    /// Failed attempts before a server is taken out (`max_fails` / HAProxy `fall`).
    #[schemars(range(min = 1, max = 100))]
    pub max_fails: u32,
    /// How long a failed server stays out (`fail_timeout` / HAProxy `inter`).
    pub fail_timeout: Duration,
    /// Idle connections kept open to the backends.
    pub keepalive: Keepalive,
}

impl Default for Backends {
    fn default() -> Self {
        Self {
            servers: Vec::new(),
            max_fails: 3,
            fail_timeout: Duration::from_secs(30),
            keepalive: Keepalive::default(),
        }
    }
}

/// One backend server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Server {
    /// Host name or IP address.
    pub host: Host,
    /// Port.
    #[schemars(range(min = 1, max = 65535))]
    pub port: u16,
    /// Relative weight.
    #[serde(default = "default_weight")]
    #[schemars(range(min = 1, max = 256))]
    pub weight: u32,
}

fn default_weight() -> u32 {
    1
}

/// The upstream keepalive pool.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Keepalive {
    /// Idle connections kept per worker.
    #[schemars(range(min = 1, max = 100000))]
    pub connections: u32,
    /// Requests served over one connection before it is closed.
    #[schemars(range(min = 1))]
    pub requests: u32,
    /// How long an idle pooled connection is kept.
    pub idle_timeout: Duration,
}

impl Default for Keepalive {
    fn default() -> Self {
        Self { connections: 32, requests: 1000, idle_timeout: Duration::from_secs(60) }
    }
}

/// Ports a proxy listens on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Listen {
    /// Address to listen on; all interfaces when absent.
    #[schemars(with = "Host")]
    pub address: Option<Host>,
    /// Plain HTTP port (redirects to HTTPS when TLS is on).
    #[schemars(range(min = 1, max = 65535))]
    pub http: u16,
    /// HTTPS port, used when `tls` is set.
    #[schemars(range(min = 1, max = 65535))]
    pub https: u16,
}

impl Default for Listen {
    fn default() -> Self {
        Self { address: None, http: 80, https: 443 }
    }
}

/// TLS termination.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Tls {
    /// Certificate chain (PEM). For HAProxy, a PEM with chain and key together.
    pub certificate: FilePath,
    /// Private key (PEM); nginx only.
    #[serde(default)]
    #[schemars(with = "FilePath")]
    pub key: Option<FilePath>,
    /// Mozilla server-side TLS profile: `modern` (TLS 1.3 only) or `intermediate` (TLS 1.2+).
    #[serde(default)]
    pub profile: TlsProfile,
}

/// A Mozilla server-side TLS profile (https://wiki.mozilla.org/Security/Server_Side_TLS).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum TlsProfile {
    Modern,
    #[default]
    Intermediate,
}

/// Cross-origin resource sharing, answered by the proxy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Cors {
    /// Allowed origins. Each is matched exactly; `*` cannot be combined with credentials.
    #[schemars(length(min = 1))]
    pub origins: Vec<Origin>,
    /// Allowed methods.
    #[serde(default = "default_cors_methods")]
    pub methods: Vec<Method>,
    /// Allowed request headers. `Last-Event-ID` lets fetch-based SSE clients resume.
    #[serde(default = "default_cors_headers")]
    pub headers: Vec<HeaderName>,
    /// Allow cookies and Authorization.
    #[serde(default)]
    pub credentials: bool,
    /// How long browsers may cache a preflight answer.
    #[serde(default = "default_cors_max_age")]
    pub max_age: Duration,
}

fn default_cors_methods() -> Vec<Method> {
    vec![Method::Get, Method::Post, Method::Options]
}
fn default_cors_headers() -> Vec<HeaderName> {
    ["Authorization", "Content-Type", "Last-Event-ID", "Cache-Control"]
        .into_iter()
        .map(HeaderName::from)
        .collect()
}
fn default_cors_max_age() -> Duration {
    Duration::from_secs(600)
}

/// An endpoint reachable only from some networks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RestrictedEndpoint {
    /// URL path.
    pub path: UrlPath,
    /// Networks allowed to reach it; everyone else gets 403.
    #[schemars(length(min = 1))]
    pub allow: Vec<Cidr>,
}

/// nginx in front of the backends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Nginx {
    /// Image for compose and Kubernetes.
    #[serde(default = "default_nginx_image")]
    pub image: Image,
    /// Ports.
    #[serde(default)]
    pub listen: Listen,
    /// `server_name`.
    #[serde(default = "default_server_name")]
    pub server_name: ServerName,
    /// TLS; absent means plain HTTP (and browsers limit HTTP/1.1 to 6 streams per host).
    #[serde(default)]
    #[schemars(with = "Tls")]
    pub tls: Option<Tls>,
    /// HTTP/2 on the TLS listener (lifts the 6-connection limit for EventSource).
    #[serde(default = "yes")]
    pub http2: bool,
    /// CORS answered by nginx, from an allow-list.
    #[serde(default)]
    #[schemars(with = "Cors")]
    pub cors: Option<Cors>,
    /// Public health path, proxied to the service's readiness endpoint.
    #[serde(default = "default_health_path")]
    pub health_path: UrlPath,
    /// Application metrics exposed through nginx, restricted to some networks.
    #[serde(default)]
    #[schemars(with = "RestrictedEndpoint")]
    pub metrics: Option<RestrictedEndpoint>,
    /// nginx `stub_status` for the Prometheus nginx exporter, restricted to some networks.
    #[serde(default)]
    #[schemars(with = "RestrictedEndpoint")]
    pub status: Option<RestrictedEndpoint>,
    /// Write an access log (to stdout in containers).
    #[serde(default = "yes")]
    pub access_log: bool,
    /// `worker_connections`: each stream holds two (client and upstream).
    #[serde(default = "default_worker_connections")]
    #[schemars(range(min = 64, max = 1048576))]
    pub worker_connections: u32,
    /// Largest request body accepted (prompts can be long).
    #[serde(default = "default_body_size")]
    pub client_max_body_size: Size,
}

fn yes() -> bool {
    true
}
fn default_nginx_image() -> Image {
    Image::from("nginx:1.28.0-alpine")
}
fn default_server_name() -> ServerName {
    ServerName::from("localhost")
}
fn default_health_path() -> UrlPath {
    UrlPath::from("/health")
}
fn default_worker_connections() -> u32 {
    4096
}
fn default_body_size() -> Size {
    Size::mib(10)
}

/// HAProxy in front of the backends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Haproxy {
    /// Image for compose and Kubernetes.
    #[serde(default = "default_haproxy_image")]
    pub image: Image,
    /// Ports.
    #[serde(default)]
    pub listen: Listen,
    /// TLS; `certificate` is a PEM with chain and key.
    #[serde(default)]
    #[schemars(with = "Tls")]
    pub tls: Option<Tls>,
    /// Offer HTTP/2 through ALPN on the TLS listener.
    #[serde(default = "yes")]
    pub http2: bool,
    /// CORS answered by HAProxy, from an allow-list.
    #[serde(default)]
    #[schemars(with = "Cors")]
    pub cors: Option<Cors>,
    /// Public health path, answered from the backends' readiness.
    #[serde(default = "default_health_path")]
    pub health_path: UrlPath,
    /// The statistics page: behind a password, never admin-enabled for all.
    #[serde(default)]
    #[schemars(with = "Stats")]
    pub stats: Option<Stats>,
    /// Global connection limit. HAProxy needs about two file descriptors per connection and
    /// refuses to start when the open-files limit is lower.
    #[serde(default = "default_maxconn")]
    #[schemars(range(min = 1))]
    pub maxconn: u32,
    /// Per-server connection limit; excess requests queue for `queue_timeout`.
    #[serde(default = "default_server_maxconn")]
    #[schemars(range(min = 1))]
    pub server_maxconn: u32,
    /// How long a request may wait for a free server slot.
    #[serde(default = "default_queue_timeout")]
    pub queue_timeout: Duration,
}

fn default_haproxy_image() -> Image {
    Image::from("haproxy:3.2.4-alpine")
}
fn default_maxconn() -> u32 {
    4096
}
fn default_server_maxconn() -> u32 {
    1000
}
fn default_queue_timeout() -> Duration {
    Duration::from_secs(5)
}

/// The HAProxy statistics page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Stats {
    /// Port of the stats listener.
    #[serde(default = "default_stats_port")]
    #[schemars(range(min = 1, max = 65535))]
    pub port: u16,
    /// Address it binds to; keep it off public interfaces.
    #[serde(default = "default_stats_bind")]
    pub bind: Host,
    /// URI of the page.
    #[serde(default = "default_stats_uri")]
    pub uri: UrlPath,
    /// User name for basic auth.
    #[serde(default = "default_stats_user")]
    pub user: Word,
    /// Environment variable that holds the password (HAProxy reads `"${NAME}"`).
    pub password_env: EnvName,
    /// Allow the admin actions (drain, disable servers) for the authenticated user.
    #[serde(default)]
    pub admin: bool,
}

fn default_stats_port() -> u16 {
    8404
}
fn default_stats_bind() -> Host {
    Host::from("127.0.0.1")
}
fn default_stats_uri() -> UrlPath {
    UrlPath::from("/stats")
}
fn default_stats_user() -> Word {
    Word::from("admin")
}

/// Spring Cloud Gateway.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Gateway {
    /// Port the gateway listens on.
    #[serde(default = "default_gateway_port")]
    #[schemars(range(min = 1, max = 65535))]
    pub port: u16,
    /// Routes. A route whose path is a streaming endpoint gets no retry, no body rewriting and no
    /// circuit breaker that could cut it.
    #[schemars(length(min = 1))]
    pub routes: Vec<Route>,
    /// Request rate limiting backed by Redis.
    #[serde(default)]
    #[schemars(with = "RateLimit")]
    pub rate_limit: Option<RateLimit>,
    /// Circuit breaker for non-streaming routes.
    #[serde(default)]
    #[schemars(with = "CircuitBreaker")]
    pub circuit_breaker: Option<CircuitBreaker>,
    /// Retry for idempotent, non-streaming requests.
    #[serde(default)]
    #[schemars(with = "Retry")]
    pub retry: Option<Retry>,
    /// Timeouts of the gateway's HTTP client.
    #[serde(default)]
    pub http_client: HttpClient,
}

fn default_gateway_port() -> u16 {
    8090
}

/// A gateway route.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Route {
    /// Route id.
    pub id: DnsName,
    /// Path predicate: a prefix, or a pattern ending in `/**`.
    pub path: UrlPath,
    /// Where requests go.
    pub uri: RouteUri,
}

/// Redis-backed request rate limiting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RateLimit {
    /// Tokens added per second.
    #[schemars(range(min = 1))]
    pub replenish_rate: u32,
    /// Bucket size: the largest burst.
    #[schemars(range(min = 1))]
    pub burst_capacity: u32,
    /// Tokens a request costs.
    #[serde(default = "default_requested_tokens")]
    #[schemars(range(min = 1))]
    pub requested_tokens: u32,
    /// Bean that resolves the rate-limit key. Without one, anonymous requests are denied.
    pub key_resolver: BeanName,
}

fn default_requested_tokens() -> u32 {
    1
}

/// A Resilience4J circuit breaker with a time limiter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CircuitBreaker {
    /// Circuit breaker instance name.
    pub name: DnsName,
    /// Where to forward when the circuit is open (`forward:/fallback`).
    #[serde(default)]
    #[schemars(with = "RouteUri")]
    pub fallback_uri: Option<RouteUri>,
    /// Time limiter: calls longer than this are cancelled. The default of 1 s cuts every stream,
    /// so streaming routes only get a breaker when this exceeds their maximum duration.
    pub time_limit: Duration,
    /// Apply the breaker to streaming routes too (needs `time_limit` ≥ every `max_duration`).
    #[serde(default)]
    pub on_streams: bool,
}

/// Gateway retry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Retry {
    /// Attempts after the first.
    #[schemars(range(min = 1, max = 10))]
    pub retries: u32,
    /// Methods retried; non-idempotent ones (POST, PATCH) are refused.
    #[serde(default = "default_retry_methods")]
    pub methods: Vec<Method>,
    /// Statuses retried.
    #[serde(default = "default_retry_statuses")]
    pub statuses: Vec<RetryStatus>,
}

fn default_retry_methods() -> Vec<Method> {
    vec![Method::Get]
}
fn default_retry_statuses() -> Vec<RetryStatus> {
    vec![RetryStatus::BadGateway, RetryStatus::ServiceUnavailable]
}

/// An HTTP status the gateway may retry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RetryStatus {
    BadGateway,
    ServiceUnavailable,
    GatewayTimeout,
    InternalServerError,
}

/// The gateway's HTTP client.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct HttpClient {
    /// Connect timeout.
    pub connect_timeout: Duration,
    /// Wait for response headers (not a stream limit: it stops counting once headers arrive).
    pub response_timeout: Duration,
    /// Pooled connections are closed after this idle time.
    pub pool_max_idle_time: Duration,
}

impl Default for HttpClient {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(5),
            response_timeout: Duration::from_secs(30),
            pool_max_idle_time: Duration::from_secs(30),
        }
    }
}

/// Redis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Redis {
    /// Image.
    #[serde(default = "default_redis_image")]
    pub image: Image,
    /// Port.
    #[serde(default = "default_redis_port")]
    #[schemars(range(min = 1, max = 65535))]
    pub port: u16,
    /// `maxmemory`.
    #[serde(default = "default_redis_memory")]
    pub max_memory: Size,
    /// What happens at `max_memory`. Sessions and rate-limit buckets must not be evicted at
    /// random: prefer `noeviction` or a `volatile-*` policy.
    #[serde(default)]
    pub eviction: Eviction,
    /// Persistence.
    #[serde(default)]
    pub persistence: Persistence,
    /// Where the password comes from: an environment variable, never a literal.
    pub password: SecretRef,
    /// `maxclients`.
    #[serde(default = "default_maxclients")]
    #[schemars(range(min = 1))]
    pub max_clients: u32,
}

fn default_redis_image() -> Image {
    Image::from("redis:7.4.1-alpine")
}
fn default_redis_port() -> u16 {
    6379
}
fn default_redis_memory() -> Size {
    Size::mib(256)
}
fn default_maxclients() -> u32 {
    10000
}

/// A Redis eviction policy.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Eviction {
    #[default]
    Noeviction,
    VolatileLru,
    VolatileLfu,
    VolatileTtl,
    AllkeysLru,
    AllkeysLfu,
}

/// Redis persistence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Persistence {
    /// Append-only file.
    pub aof: bool,
    /// `appendfsync` policy.
    pub fsync: Fsync,
    /// RDB snapshots: after `seconds` if at least `changes` keys changed.
    pub snapshots: Vec<Snapshot>,
}

impl Default for Persistence {
    fn default() -> Self {
        Self {
            aof: true,
            fsync: Fsync::Everysec,
            snapshots: vec![Snapshot { seconds: 900, changes: 1 }, Snapshot { seconds: 300, changes: 10 }],
        }
    }
}

/// `appendfsync`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Fsync {
    Always,
    #[default]
    Everysec,
    No,
}

/// An RDB save point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Snapshot {
    /// Seconds since the last snapshot.
    #[schemars(range(min = 1))]
    pub seconds: u32,
    /// Keys changed since the last snapshot.
    #[schemars(range(min = 1))]
    pub changes: u32,
}

/// The application image build.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Container {
    /// Runtime base image, pinned (a JRE, not a JDK, for Java services).
    pub base_image: Image,
    /// The artifact copied into the image.
    pub artifact: BuildPath,
    /// Container health check (compose and plain Docker; Kubernetes uses probes instead).
    pub healthcheck: Healthcheck,
    /// Resource limits of the process.
    pub ulimits: Ulimits,
    /// Namespaced sysctls for the container (compose `sysctls`, Kubernetes `securityContext`).
    /// They cannot be set from a Dockerfile.
    pub sysctls: BTreeMap<SysctlName, u64>,
}

impl Default for Container {
    fn default() -> Self {
        Self {
            base_image: Image::from("eclipse-temurin:21.0.5_11-jre-jammy"),
            artifact: BuildPath::from("target/app.jar"),
            healthcheck: Healthcheck::default(),
            ulimits: Ulimits::default(),
            sysctls: BTreeMap::new(),
        }
    }
}

/// A container health check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Healthcheck {
    /// Time between checks.
    pub interval: Duration,
    /// A check slower than this fails.
    pub timeout: Duration,
    /// Consecutive failures before the container is unhealthy.
    #[schemars(range(min = 1, max = 100))]
    pub retries: u32,
    /// Grace period at startup during which failures do not count.
    pub start_period: Duration,
}

impl Default for Healthcheck {
    fn default() -> Self {
        Self {
            interval: Duration::from_secs(15),
            timeout: Duration::from_secs(5),
            retries: 5,
            start_period: Duration::from_secs(60),
        }
    }
}

/// Process limits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Ulimits {
    /// Open files: each stream holds a socket.
    #[schemars(range(min = 1024))]
    pub nofile: u32,
}

impl Default for Ulimits {
    fn default() -> Self {
        Self { nofile: 65535 }
    }
}

/// docker-compose for a single host.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Compose {
    /// Services to run.
    #[serde(default = "default_compose_services")]
    pub services: Vec<ComposeService>,
    /// Restart policy.
    #[serde(default)]
    pub restart: Restart,
    /// Host address that published ports bind to. Internal services (Redis, metrics) are never
    /// published.
    #[serde(default = "default_publish_address")]
    pub publish_address: Host,
}

fn default_compose_services() -> Vec<ComposeService> {
    vec![ComposeService::App, ComposeService::Redis, ComposeService::Proxy]
}
fn default_publish_address() -> Host {
    Host::from("0.0.0.0")
}

/// A compose service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ComposeService {
    App,
    Redis,
    Proxy,
    Prometheus,
    Grafana,
}

/// A compose restart policy.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Restart {
    No,
    Always,
    OnFailure,
    #[default]
    UnlessStopped,
}

/// Kubernetes manifests.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Kubernetes {
    /// Namespace of every object.
    #[serde(default = "default_namespace")]
    pub namespace: DnsName,
    /// An ingress-nginx Ingress for the streaming paths.
    #[serde(default)]
    #[schemars(with = "Ingress")]
    pub ingress: Option<Ingress>,
    /// Probes.
    #[serde(default)]
    pub probes: Probes,
    /// PodDisruptionBudget: how many pods must stay up during voluntary disruptions.
    #[serde(default)]
    pub pdb: Pdb,
    /// HorizontalPodAutoscaler; absent means fixed replicas.
    #[serde(default)]
    #[schemars(with = "Hpa")]
    pub hpa: Option<Hpa>,
    /// Time a terminating pod gets to finish open streams. Defaults to the longest
    /// `max_duration` capped at 1h, plus the preStop delay.
    #[serde(default)]
    #[schemars(with = "Duration")]
    pub termination_grace_period: Option<Duration>,
    /// preStop sleep, so endpoints are removed from load balancers before the app stops.
    #[serde(default = "default_pre_stop")]
    pub pre_stop_delay: Duration,
}

fn default_namespace() -> DnsName {
    DnsName::from("default")
}
fn default_pre_stop() -> Duration {
    Duration::from_secs(10)
}

/// An ingress-nginx Ingress.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Ingress {
    /// `ingressClassName`.
    #[serde(default = "default_ingress_class")]
    pub class: DnsName,
    /// Host.
    pub host: ServerName,
    /// Secret with the TLS certificate; absent means no TLS at the ingress.
    #[serde(default)]
    #[schemars(with = "DnsName")]
    pub tls_secret: Option<DnsName>,
}

fn default_ingress_class() -> DnsName {
    DnsName::from("nginx")
}

/// Probes of the application container.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Probes {
    pub liveness: Probe,
    pub readiness: Probe,
    pub startup: Probe,
}

impl Default for Probes {
    fn default() -> Self {
        Self {
            liveness: Probe {
                period: Duration::from_secs(10),
                timeout: Duration::from_secs(3),
                failure_threshold: 3,
            },
            readiness: Probe {
                period: Duration::from_secs(5),
                timeout: Duration::from_secs(3),
                failure_threshold: 2,
            },
            startup: Probe {
                period: Duration::from_secs(5),
                timeout: Duration::from_secs(3),
                failure_threshold: 30,
            },
        }
    }
}

/// A probe's timing (its path comes from `service.health`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Probe {
    /// Time between probes.
    pub period: Duration,
    /// A probe slower than this fails.
    pub timeout: Duration,
    /// Consecutive failures before the probe gives up on the pod.
    #[schemars(range(min = 1, max = 1000))]
    pub failure_threshold: u32,
}

/// PodDisruptionBudget.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Pdb {
    /// Pods that may be down at once during voluntary disruptions.
    #[schemars(range(min = 1))]
    pub max_unavailable: u32,
}

impl Default for Pdb {
    fn default() -> Self {
        Self { max_unavailable: 1 }
    }
}

/// HorizontalPodAutoscaler.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Hpa {
    /// Fewest replicas.
    #[schemars(range(min = 1))]
    pub min_replicas: u32,
    /// Most replicas.
    #[schemars(range(min = 1))]
    pub max_replicas: u32,
    /// Target average CPU utilisation (percent of requests).
    #[serde(default = "default_cpu_target")]
    #[schemars(range(min = 10, max = 100))]
    pub cpu_utilization: u32,
    /// Wait before scaling down, so long streams are not cut by churn.
    #[serde(default = "default_scale_down")]
    pub scale_down_stabilization: Duration,
}

fn default_cpu_target() -> u32 {
    70
}
fn default_scale_down() -> Duration {
    Duration::from_secs(600)
}

/// Monitoring.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Monitoring {
    /// Prometheus image.
    #[serde(default = "default_prometheus_image")]
    pub prometheus_image: Image,
    /// Scrape interval.
    #[serde(default = "default_scrape")]
    pub scrape_interval: Duration,
    /// Rule evaluation interval.
    #[serde(default = "default_scrape")]
    pub evaluation_interval: Duration,
    /// Alert thresholds.
    #[serde(default)]
    pub alerts: Alerts,
    /// Exporters for Redis and nginx (they do not speak Prometheus themselves).
    #[serde(default)]
    pub exporters: Exporters,
    /// Grafana with a provisioned dashboard.
    #[serde(default)]
    #[schemars(with = "Grafana")]
    pub grafana: Option<Grafana>,
}

fn default_prometheus_image() -> Image {
    Image::from("prom/prometheus:v3.5.0")
}
fn default_scrape() -> Duration {
    Duration::from_secs(15)
}

/// Alert thresholds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Alerts {
    /// Open streams per instance.
    #[schemars(range(min = 1))]
    pub active_connections: u32,
    /// 95th percentile request duration.
    pub p95_latency: Duration,
    /// WebSocket errors in 5 minutes.
    #[schemars(range(min = 1))]
    pub websocket_errors: u32,
    /// Resident memory as a percentage of the container limit.
    #[schemars(range(min = 1, max = 100))]
    pub memory_percent: u32,
}

impl Default for Alerts {
    fn default() -> Self {
        Self {
            active_connections: 800,
            p95_latency: Duration::from_secs(5),
            websocket_errors: 10,
            memory_percent: 90,
        }
    }
}

/// Exporter images.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Exporters {
    pub redis_image: Image,
    pub nginx_image: Image,
}

impl Default for Exporters {
    fn default() -> Self {
        Self {
            redis_image: Image::from("oliver006/redis_exporter:v1.67.0"),
            nginx_image: Image::from("nginx/nginx-prometheus-exporter:1.4.0"),
        }
    }
}

/// Grafana.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Grafana {
    /// Image.
    #[serde(default = "default_grafana_image")]
    pub image: Image,
    /// Admin password source (never a literal).
    pub admin_password: SecretRef,
}

fn default_grafana_image() -> Image {
    Image::from("grafana/grafana:11.4.0")
}

/// Target engine versions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Versions {
    /// nginx (`http2 on` from 1.25.1; keepalive and HTTP/1.1 upstream defaults from 1.29.7).
    pub nginx: Version,
    /// HAProxy (`http-check send` from 2.2; inline httpchk headers refused from 2.7).
    pub haproxy: Version,
    /// Kubernetes.
    pub kubernetes: Version,
    /// Prometheus.
    pub prometheus: Version,
    /// Spring Cloud Gateway (property prefix `spring.cloud.gateway.server.webflux` from 4.3).
    pub spring_cloud_gateway: Version,
}

impl Default for Versions {
    fn default() -> Self {
        Self {
            nginx: Version::new(1, 28, 0),
            haproxy: Version::new(3, 2, 0),
            kubernetes: Version::new(1, 33, 0),
            prometheus: Version::new(3, 5, 0),
            spring_cloud_gateway: Version::new(4, 3, 0),
        }
    }
}
