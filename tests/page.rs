//! The page of `ikg serve` in headless Chromium (Debian packages `chromium` and
//! `chromium-driver`):
//! - driven through WebDriver as a person would use it: pick an example, run it, click a name in
//!   the results to draw its neighbourhood, click a relation for its evidence; a screenshot is
//!   saved under the test's output folder;
//! - opened from a link that picks an example, runs it and draws an entity (`--dump-dom`).
//!
//! Each test is skipped, with a message, where its program is not installed.

mod common;

use ikg::serve::{ServeConfig, Server};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const TEXT: &str = "湖南青石精工机械有限公司位于湘潭高新区,主要生产数控机床和精密齿轮等产品。\n\
由湖南青石精工机械有限公司牵头、湘潭大学共建的精密传动湖南省重点实验室日前通过验收。\n";
const COMPANY: &str = "湖南青石精工机械有限公司";
const PARK: &str = "湘潭高新区";
const LAB: &str = "精密传动湖南省重点实验室";
const UNIVERSITY: &str = "湘潭大学";
/// The example the WebDriver test picks, and what it returns on [`TEXT`].
const EXAMPLE: &str = "platforms_leads_cobuilds.rq";
const LAB_SENTENCE: &str =
    "由湖南青石精工机械有限公司牵头、湘潭大学共建的精密传动湖南省重点实验室日前通过验收。";

/// The flags of a headless Chromium that makes no connection of its own.
const CHROMIUM_FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--window-size=1400,1800",
];

/// Builds [`TEXT`] into a store under `dir` and serves it on a free loopback port, with queries
/// and drawings in child processes as `ikg serve` has them.
fn serve(dir: &Path) -> Server {
    let input = common::write_folder(&dir.join("in"), &[("news.txt", TEXT)]);
    let store = dir.join("kg.ikg");
    let (kg, summary) = common::build(&store, &[input]);
    assert_eq!(summary.documents, 1);
    drop(kg);
    Server::start(ServeConfig {
        bind: "127.0.0.1:0".parse().unwrap(),
        query_process: Some(PathBuf::from(env!("CARGO_BIN_EXE_ikg"))),
        ..ServeConfig::new(store)
    })
    .unwrap()
}

/// A child process that is killed when dropped.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Runs headless Chromium with `--dump-dom` on `url`: its standard output, or None if Chromium
/// is missing. Killed after 90 s.
fn dump_dom(url: &str, profile: &Path) -> Option<String> {
    let child = match Command::new("chromium")
        .args(CHROMIUM_FLAGS)
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(["--virtual-time-budget=10000", "--dump-dom", url])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
    {
        Ok(child) => child,
        Err(e) => {
            eprintln!("SKIPPED: no `chromium` ({e}); `apt-get install chromium` provides it");
            return None;
        }
    };
    let mut child = Killed(child);
    let started = Instant::now();
    while child.0.try_wait().unwrap().is_none() {
        assert!(
            started.elapsed() < Duration::from_secs(90),
            "chromium did not finish within 90 s"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let mut out = String::new();
    std::io::Read::read_to_string(&mut child.0.stdout.take().unwrap(), &mut out).unwrap();
    Some(out)
}

#[test]
fn a_page_link_runs_an_example_and_draws_an_entity() {
    let dir = tempfile::tempdir().unwrap();
    let server = serve(dir.path());
    let query: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("example", "companies_by_park.rq")
        .append_pair("run", "")
        .append_pair("entity", COMPANY)
        .finish();
    let url = format!("http://{}/?{query}", server.addr());
    let Some(dom) = dump_dom(&url, &dir.path().join("profile")) else {
        return;
    };
    // The example's row, as table cells.
    assert!(dom.contains("<th>?park</th><th>?company</th>"), "{dom}");
    assert!(
        dom.contains(&format!(">{PARK}</td><td class=\"link\">{COMPANY}</td>")),
        "{dom}"
    );
    assert!(dom.contains("1 行 rows"), "{dom}");
    // The neighbourhood, as inline SVG with the entity, its neighbours and a relation label.
    let svg = &dom[dom.find("<svg").expect("an SVG in the page")..];
    for label in [COMPANY, PARK, LAB, "位于"] {
        assert!(svg.contains(label), "{label} not in the drawn SVG");
    }
}

/// How long the WebDriver test waits for the page to show something.
const PATIENCE: Duration = Duration::from_secs(30);

/// A WebDriver session of Chromium, through a `chromedriver` started for it (the
/// [W3C WebDriver](https://www.w3.org/TR/webdriver2/) protocol is JSON over HTTP). The session
/// is closed and the driver killed when dropped.
struct Browser {
    base: String,
    http: ureq::Agent,
    _driver: Killed,
}

/// The key under which WebDriver names an element.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

impl Browser {
    /// Starts `chromedriver` on a free loopback port and opens a headless session; None if
    /// the driver is not installed.
    fn start(profile: &Path) -> Option<Browser> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let driver = match Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
        {
            Ok(child) => Killed(child),
            Err(e) => {
                eprintln!(
                    "SKIPPED: no `chromedriver` ({e}); `apt-get install chromium-driver` provides it"
                );
                return None;
            }
        };
        let http: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into();
        let mut browser = Browser {
            base: format!("http://127.0.0.1:{port}"),
            http,
            _driver: driver,
        };
        let started = Instant::now();
        while browser.call("GET", "/status", None).is_err() {
            assert!(started.elapsed() < PATIENCE, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        let mut args: Vec<String> = CHROMIUM_FLAGS.iter().map(|f| f.to_string()).collect();
        args.push(format!("--user-data-dir={}", profile.display()));
        let capabilities = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": { "binary": chromium_binary(), "args": args },
        }}});
        let session = browser
            .call("POST", "/session", Some(capabilities))
            .expect("a WebDriver session");
        let id = session["sessionId"].as_str().expect("a session id");
        browser.base = format!("{}/session/{id}", browser.base);
        Some(browser)
    }

    /// Sends a command; the `value` of its answer, or the WebDriver error as text.
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
        let url = format!("{}{path}", self.base);
        let response = match (method, body) {
            ("GET", _) => self.http.get(&url).call(),
            ("DELETE", _) => self.http.delete(&url).call(),
            (_, body) => self
                .http
                .post(&url)
                .header("Content-Type", "application/json")
                .send(body.unwrap_or(json!({})).to_string()),
        };
        let mut response = response.map_err(|e| e.to_string())?;
        let ok = response.status().is_success();
        let text = response
            .body_mut()
            .read_to_string()
            .map_err(|e| e.to_string())?;
        let answer: Value = serde_json::from_str(&text).map_err(|e| format!("{e}: {text}"))?;
        if ok {
            Ok(answer["value"].clone())
        } else {
            Err(answer["value"].to_string())
        }
    }

    fn command(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        self.call(method, path, body)
            .unwrap_or_else(|e| panic!("WebDriver {method} {path}: {e}"))
    }

    fn open(&self, url: &str) {
        self.command("POST", "/url", Some(json!({ "url": url })));
    }

    /// The elements an XPath expression finds now.
    fn find_all(&self, xpath: &str) -> Vec<String> {
        let found = self.command(
            "POST",
            "/elements",
            Some(json!({ "using": "xpath", "value": xpath })),
        );
        found
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e[ELEMENT].as_str().unwrap().to_string())
            .collect()
    }

    /// The first element an XPath expression finds, waiting for it to appear.
    fn wait_for(&self, xpath: &str) -> String {
        let started = Instant::now();
        loop {
            if let Some(element) = self.find_all(xpath).into_iter().next() {
                return element;
            }
            assert!(
                started.elapsed() < PATIENCE,
                "nothing matches {xpath} after {PATIENCE:?}; the page shows:\n{}",
                self.text(&self.find_all("//body")[0])
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn click(&self, element: &str) {
        self.command("POST", &format!("/element/{element}/click"), None);
    }

    /// The text an element shows.
    fn text(&self, element: &str) -> String {
        let text = self.command("GET", &format!("/element/{element}/text"), None);
        text.as_str().unwrap_or_default().to_string()
    }

    /// A DOM property of an element (`value`, `outerHTML`, …).
    fn property(&self, element: &str, name: &str) -> String {
        let value = self.command("GET", &format!("/element/{element}/property/{name}"), None);
        value.as_str().unwrap_or_default().to_string()
    }

    /// Saves a PNG of the window.
    fn screenshot(&self, file: &Path) {
        use base64::Engine;
        let encoded = self.command("GET", "/screenshot", None);
        let png = base64::engine::general_purpose::STANDARD
            .decode(encoded.as_str().unwrap())
            .unwrap();
        std::fs::write(file, png).unwrap();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.call("DELETE", "", None);
    }
}

/// Chromium's executable: `/usr/bin/chromium` (Debian) unless found elsewhere on the PATH.
fn chromium_binary() -> PathBuf {
    std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .map(|dir| dir.join("chromium"))
        .find(|p| p.is_file())
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"))
}

/// An XPath string literal (the texts here hold no quote marks).
fn literal(text: &str) -> String {
    assert!(!text.contains('\''));
    format!("'{text}'")
}

#[test]
fn the_page_runs_an_example_draws_an_entity_and_shows_evidence_through_webdriver() {
    let dir = tempfile::tempdir().unwrap();
    let server = serve(dir.path());
    let Some(browser) = Browser::start(&dir.path().join("profile")) else {
        return;
    };
    browser.open(&format!("http://{}/", server.addr()));

    // Pick an example other than the first (which fills the editor at the start): its query
    // replaces the editor's text.
    let option = browser.wait_for(&format!(
        "//select[@id='examples']/option[contains(., {})]",
        literal(EXAMPLE)
    ));
    let editor = browser.wait_for("//textarea[@id='query']");
    let example = std::fs::read_to_string(common::root().join("queries").join(EXAMPLE))
        .unwrap()
        .replace("\r\n", "\n");
    assert_ne!(browser.property(&editor, "value"), example);
    browser.click(&option);
    assert_eq!(browser.property(&editor, "value"), example);

    // Run it: its rows appear in the table.
    browser.click(&browser.wait_for("//button[@id='run']"));
    let status = browser.wait_for("//span[@id='results-status'][contains(., '行 rows')]");
    assert!(browser.text(&status).starts_with("2 行 rows"));
    let header: Vec<String> = browser
        .find_all("//div[@id='results']//th")
        .iter()
        .map(|th| browser.text(th))
        .collect();
    assert_eq!(header, ["?platform", "?role", "?organisation"]);
    for (role, organisation) in [("leads", COMPANY), ("coBuilds", UNIVERSITY)] {
        browser.wait_for(&format!(
            "//div[@id='results']//tr[td[1] = {} and td[2] = {} and td[3] = {}]",
            literal(LAB),
            literal(role),
            literal(organisation)
        ));
    }

    // Click the company's name: its neighbourhood is drawn as SVG.
    browser.click(&browser.wait_for(&format!(
        "//div[@id='results']//td[contains(@class, 'link') and . = {}]",
        literal(COMPANY)
    )));
    browser.wait_for("//span[@id='graph-status'][contains(., 'nodes')]");
    let svg = browser.wait_for("//div[@id='graph']/*[local-name() = 'svg']");
    let drawn = browser.property(&svg, "outerHTML");
    for label in [COMPANY, PARK, LAB, "位于", "牵头"] {
        assert!(
            drawn.contains(label),
            "{label} not in the drawn SVG:\n{drawn}"
        );
    }
    assert_eq!(
        browser.property(&browser.wait_for("//input[@id='entity']"), "value"),
        COMPANY
    );

    // Click the relation 牵头 (leads): its evidence sentence and document are listed.
    let edge_label = browser.wait_for(
        "//*[local-name() = 'g'][contains(@class, 'edge')]\
         /*[local-name() = 'text'][. = '牵头']",
    );
    browser.click(&edge_label);
    let evidence_row = browser.text(&browser.wait_for(&format!(
        "//div[@id='evidence']//tr[td = {}]",
        literal(LAB_SENTENCE)
    )));
    for part in [COMPANY, "leads", LAB, "news"] {
        assert!(
            evidence_row.contains(part),
            "{part} not in {evidence_row:?}"
        );
    }
    let title = browser.text(&browser.wait_for("//span[@id='evidence-title']"));
    assert_eq!(title, format!("{COMPANY} — {LAB}"));

    let shot = Path::new(env!("CARGO_TARGET_TMPDIR")).join("ikg-page-webdriver.png");
    browser.screenshot(&shot);
    assert!(std::fs::metadata(&shot).unwrap().len() > 10_000);
    eprintln!("screenshot: {}", shot.display());
}
