//! The page of `ikg serve` in headless Chromium (Debian package `chromium`): a link that picks
//! an example, runs it and draws an entity; the DOM after the page's scripts ran must hold the
//! result rows and the SVG labels. A screenshot is saved under the test's output folder.
//! Skipped, with a message, where Chromium is not installed.

mod common;

use ikg::serve::{ServeConfig, Server};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const TEXT: &str = "湖南青石精工机械有限公司位于湘潭高新区,主要生产数控机床和精密齿轮等产品。\n\
由湖南青石精工机械有限公司牵头、湘潭大学共建的精密传动湖南省重点实验室日前通过验收。\n";

/// Runs headless Chromium on `url` with `action` (`--dump-dom` or `--screenshot=…`); its
/// standard output, or None if Chromium is missing. Killed after 90 s.
fn chromium(url: &str, action: &str) -> Option<String> {
    let mut child = match Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--window-size=1400,1800",
            "--virtual-time-budget=10000",
            action,
            url,
        ])
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
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(90) {
            let _ = child.kill();
            panic!("chromium did not finish within 90 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let mut out = String::new();
    std::io::Read::read_to_string(&mut child.stdout.take().unwrap(), &mut out).unwrap();
    Some(out)
}

#[test]
fn the_page_runs_an_example_and_draws_an_entity_in_chromium() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(input.join("news.txt"), TEXT).unwrap();
    let store = dir.path().join("kg.ikg");
    let (kg, summary) = common::build(&store, &[input]);
    assert_eq!(summary.documents, 1);
    drop(kg);
    let server = Server::start(ServeConfig {
        bind: "127.0.0.1:0".parse().unwrap(),
        ..ServeConfig::new(store)
    })
    .unwrap();
    let query: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("example", "companies_by_park.rq")
        .append_pair("run", "")
        .append_pair("entity", "湖南青石精工机械有限公司")
        .finish();
    let url = format!("http://{}/?{query}", server.addr());
    let Some(dom) = chromium(&url, "--dump-dom") else {
        return;
    };
    // The example's row, as table cells.
    assert!(dom.contains("<th>?park</th><th>?company</th>"), "{dom}");
    assert!(
        dom.contains(">湘潭高新区</td><td class=\"link\">湖南青石精工机械有限公司</td>"),
        "{dom}"
    );
    assert!(dom.contains("1 行 rows"), "{dom}");
    // The neighbourhood, as inline SVG with the entity, its neighbours and a relation label.
    let svg = &dom[dom.find("<svg").expect("an SVG in the page")..];
    for label in [
        "湖南青石精工机械有限公司",
        "湘潭高新区",
        "精密传动湖南省重点实验室",
        "位于",
    ] {
        assert!(svg.contains(label), "{label} not in the drawn SVG");
    }
    let shot = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("ikg-page.png");
    chromium(&url, &format!("--screenshot={}", shot.display()));
    assert!(std::fs::metadata(&shot).unwrap().len() > 10_000);
    eprintln!("screenshot: {}", shot.display());
}
