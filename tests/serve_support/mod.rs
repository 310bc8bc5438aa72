//! What the tests of `kefu-lint serve` share: the real binary started on an
//! ephemeral port (`--bind 127.0.0.1:0`, the address read from what it
//! prints), and a small blocking HTTP client.

// Each test crate includes this module and uses part of it.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

/// The repository root.
pub const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

/// A running `kefu-lint serve`; killed when dropped if still running.
pub struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// `127.0.0.1:PORT`.
    pub address: String,
    stderr: Arc<Mutex<String>>,
    /// Reads standard error until the server ends.
    reader: Option<std::thread::JoinHandle<()>>,
    agent: ureq::Agent,
}

impl Server {
    /// `kefu-lint serve --bind 127.0.0.1:0 ARGS` from the repository root,
    /// once it says where it listens.
    pub fn start(args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_kefu-lint"))
            .args(["serve", "--bind", "127.0.0.1:0"])
            .args(args)
            .current_dir(ROOT)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("kefu-lint starts");
        let stderr = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = mpsc::channel();
        let lines = BufReader::new(child.stderr.take().expect("piped stderr"));
        let seen = Arc::clone(&stderr);
        let reader = std::thread::spawn(move || {
            for line in lines.lines().map_while(Result::ok) {
                if let Some(address) = line.strip_prefix("kefu-lint serve: listening on http://") {
                    let _ = tx.send(address.to_owned());
                }
                let mut seen = seen.lock().expect("stderr");
                seen.push_str(&line);
                seen.push('\n');
            }
        });
        let address = rx.recv_timeout(Duration::from_secs(60));
        if address.is_err() {
            let _ = child.kill();
        }
        let address = address
            .map_err(|_| stderr.lock().expect("stderr").clone())
            .expect("kefu-lint serve says where it listens");
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(30)))
            .build()
            .into();
        Server {
            child,
            base: format!("http://{address}"),
            address,
            stderr,
            reader: Some(reader),
            agent,
        }
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// What the server has printed on standard error so far.
    pub fn stderr(&self) -> String {
        self.stderr.lock().expect("stderr").clone()
    }

    /// Sends SIGTERM.
    pub fn terminate(&self) {
        let pid = rustix::process::Pid::from_child(&self.child);
        rustix::process::kill_process(pid, rustix::process::Signal::TERM).expect("SIGTERM sent");
    }

    /// Waits at most `limit` for the server to end (then for all it
    /// printed to be read).
    pub fn wait(&mut self, limit: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(status) = self.child.try_wait().expect("status") {
                if let Some(reader) = self.reader.take() {
                    reader.join().expect("standard error read");
                }
                return Some(status);
            }
            if Instant::now() >= deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// `GET path`: status, content type and body.
    pub fn get(&self, path: &str) -> Answer {
        let response = self
            .agent
            .get(format!("{}{path}", self.base))
            .call()
            .expect("an answer");
        Answer::of(response)
    }

    /// `POST path` with `body` (text or bytes) sent as `content_type`.
    pub fn post(&self, path: &str, content_type: &str, body: impl AsRef<[u8]>) -> Answer {
        let response = self
            .agent
            .post(format!("{}{path}", self.base))
            .header("content-type", content_type)
            .send(body.as_ref())
            .expect("an answer");
        Answer::of(response)
    }

    /// `POST path` with `body` as JSON.
    pub fn post_json(&self, path: &str, body: &Value) -> Answer {
        self.post(path, "application/json", body.to_string())
    }

    /// `POST path` with form data.
    pub fn post_form(&self, path: &str, pairs: &[(&str, &str)]) -> Answer {
        let response = self
            .agent
            .post(format!("{}{path}", self.base))
            .send_form(pairs.iter().copied())
            .expect("an answer");
        Answer::of(response)
    }

    /// A request with `method` and the headers given, no body.
    pub fn request(&self, method: &str, path: &str, headers: &[(&str, &str)]) -> Answer {
        let mut builder = ureq::http::Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.base));
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        let request = builder.body(()).expect("a request");
        Answer::of(self.agent.run(request).expect("an answer"))
    }

    /// Sends `raw` bytes as they are on a new connection and reads the
    /// answer until the server closes it (send `Connection: close`).
    pub fn raw(&self, raw: &[u8]) -> String {
        let mut stream = TcpStream::connect(&self.address).expect("connected");
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .expect("timeout set");
        stream.write_all(raw).expect("sent");
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
        String::from_utf8_lossy(&answer).into_owned()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An HTTP answer.
#[derive(Debug)]
pub struct Answer {
    /// Status code.
    pub status: u16,
    /// The headers, names in lower case.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: String,
}

impl Answer {
    fn of(mut response: ureq::http::Response<ureq::Body>) -> Answer {
        let headers = response
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        Answer {
            status: response.status().as_u16(),
            headers,
            body: response.body_mut().read_to_string().expect("a UTF-8 body"),
        }
    }

    /// The body as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .map_err(|e| format!("{e}: {}", self.body))
            .expect("a JSON body")
    }

    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// The error answer's `field`, asserting the status and the error shape.
    pub fn error_field(&self, status: u16) -> Option<String> {
        assert_eq!(self.status, status, "{}", self.body);
        assert_eq!(self.header("content-type"), Some("application/json"), "{}", self.body);
        let error = &self.json()["error"];
        assert_eq!(error["status"], status, "{}", self.body);
        assert!(
            error["code"].is_string() && error["message"].is_string(),
            "{}",
            self.body
        );
        error["field"].as_str().map(str::to_owned)
    }
}

/// The Python packages the tests use, pinned: a real LanguageTool client,
/// and a validator of OpenAPI documents.
const PYTHON_PACKAGES: [(&str, &str); 2] = [("language_tool_python", "3.4.0"), ("openapi-spec-validator", "0.9.0")];

/// A Python with [`PYTHON_PACKAGES`]: a virtual environment under the target
/// directory, made (and the packages installed from PyPI) on first use.
pub fn python() -> PathBuf {
    let venv = Path::new(env!("CARGO_TARGET_TMPDIR")).join("serve-venv");
    let python = venv.join("bin/python");
    let wanted: Vec<String> = PYTHON_PACKAGES
        .iter()
        .map(|(name, version)| format!("{name}=={version}"))
        .collect();
    let check = format!(
        "import importlib.metadata as m\nfor name, version in {:?}: assert m.version(name) == version",
        PYTHON_PACKAGES.iter().map(|(n, v)| vec![*n, *v]).collect::<Vec<_>>()
    );
    let ready = Command::new(&python)
        .args(["-c", &check])
        .status()
        .is_ok_and(|s| s.success());
    if !ready {
        let made = Command::new("python3")
            .arg("-m")
            .arg("venv")
            .arg(&venv)
            .status()
            .expect("python3 runs");
        assert!(made.success(), "python3 -m venv {}", venv.display());
        let installed = Command::new(&python)
            .args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check"])
            .args(&wanted)
            .status()
            .expect("pip runs");
        assert!(installed.success(), "pip install {wanted:?}");
    }
    python
}

/// The text at UTF-16 units `start..end` of `text`, as JavaScript's
/// `text.slice(start, end)` gives it.
pub fn utf16_slice(text: &str, start: usize, end: usize) -> String {
    let units: Vec<u16> = text.encode_utf16().collect();
    String::from_utf16(&units[start..end]).expect("a slice on character boundaries")
}

/// The text at code points `start..end`, as Python's `text[start:end]`.
pub fn char_slice(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end - start).collect()
}
