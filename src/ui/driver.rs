//! The in-app test driver, for end-to-end tests in a real window: when the environment variable
//! `TESSERA_TEST_DRIVER` names a JSON file of steps, the app performs them through its own page
//! (DOM events evaluated in the web view with `document::eval`, exactly what a user's clicks and
//! typing produce), writes what happened to `<file>.log`, and quits. Without the variable, this
//! does nothing.
//!
//! Steps (one JSON object each):
//! `{"click": "#css"}` · `{"type": ["#css", "text"]}` (sets the value, fires input and change) ·
//! `{"key": ["#css", "Enter"]}` · `{"wait": ["#css", "text it must contain"]}` (10 s; a third element: other seconds) ·
//! `{"gone": "#css"}` · `{"watch": ["name", "#css"]}` (marks `#seen-name` if `#css` ever appears) · `{"scroll": "#css"}` (into view, for screenshots) · `{"read": ["name", "#css"]}` (records the element's text; a third argument reads that attribute, or with `style:` that computed style) ·
//! `{"js": ["name", "body"]}` (records what the body of an async function returns) ·
//! `{"shot": "name"}` (logs `{"shot": name}` and waits for `<file>.ack-<name>`, so the test can
//! take a screenshot) · `{"resize": [width, height]}` · `{"sleep": ms}`.

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use dioxus::prelude::*;
use serde_json::{Value, json};

/// Starts the driver if `TESSERA_TEST_DRIVER` is set.
pub fn use_test_driver() {
    use_future(|| async {
        let Some(script) = std::env::var_os("TESSERA_TEST_DRIVER").map(PathBuf::from) else {
            return;
        };
        let log_path = script.with_extension("log");
        let mut log = match std::fs::File::create(&log_path) {
            Ok(file) => file,
            Err(_) => return,
        };
        let steps: Vec<Value> = std::fs::read(&script)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        let mut reads = serde_json::Map::new();
        for (i, step) in steps.iter().enumerate() {
            let started = std::time::Instant::now();
            match run(step, &script, &mut log, &mut reads).await {
                Ok(()) => {
                    let ms = started.elapsed().as_secs_f64() * 1000.0;
                    let _ = writeln!(log, "{}", json!({ "step": i, "ok": step, "ms": ms }));
                }
                Err(error) => {
                    let _ = writeln!(
                        log,
                        "{}",
                        json!({ "failed": i, "step": step, "error": error, "reads": reads })
                    );
                    let _ = log.flush();
                    std::process::exit(1);
                }
            }
        }
        let _ = writeln!(log, "{}", json!({ "done": true, "reads": reads }));
        let _ = log.flush();
        std::process::exit(0);
    });
}

/// Waits (in the page) for `condition` (a JS expression over `el`) on the element `css`, 10 s.
fn wait_js(css: &str, condition: &str) -> String {
    wait_js_for(css, condition, 10)
}

/// [`wait_js`] for `secs` seconds.
fn wait_js_for(css: &str, condition: &str, secs: u64) -> String {
    format!(
        "const css = {css}; const until = Date.now() + {millis}; \
         while (true) {{ const el = document.querySelector(css); \
           if ({condition}) {{ dioxus.send('ok'); break; }} \
           if (Date.now() > until) {{ const body = document.body ? document.body.innerText.slice(0, 400) : ''; dioxus.send('timeout waiting for ' + css + '; page: ' + body); break; }} \
           await new Promise(r => setTimeout(r, 50)); }}",
        css = serde_json::to_string(css).unwrap_or_default(),
        millis = secs.saturating_mul(1000)
    )
}

async fn eval(js: String) -> Result<String, String> {
    // The script stays alive a moment after its answer: an evaluation that ends right after
    // `dioxus.send` can be reported finished before its message is delivered. An evaluation
    // whose channel closes early (seen while the page re-renders heavily) is run again: every
    // script here is safe to repeat.
    let mut answer = None;
    for _ in 0..3 {
        let mut eval = document::eval(&format!(
            "{js}\nawait new Promise(r => setTimeout(r, 3000));"
        ));
        match eval.recv::<String>().await {
            Ok(text) => {
                answer = Some(text);
                break;
            }
            Err(e) if format!("{e:?}").starts_with("Finished") => continue,
            Err(e) => return Err(format!("eval failed: {e:?}")),
        }
    }
    let answer = answer.ok_or("eval failed three times: the page closed the channel")?;
    if answer == "ok" {
        Ok(answer)
    } else if let Some(text) = answer.strip_prefix("text:") {
        Ok(text.to_owned())
    } else {
        Err(answer)
    }
}

async fn run(
    step: &Value,
    script: &std::path::Path,
    log: &mut std::fs::File,
    reads: &mut serde_json::Map<String, Value>,
) -> Result<(), String> {
    let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    let pair = |v: &Value| (text(&v[0]), text(&v[1]));
    if let Some(css) = step.get("click") {
        let css = text(css);
        eval(format!("{} ", wait_js(&css, "el && !el.disabled"))).await?;
        eval(format!(
            "document.querySelector({}).click(); dioxus.send('ok');",
            serde_json::to_string(&css).unwrap_or_default()
        ))
        .await?;
    } else if let Some(args) = step.get("type") {
        let (css, value) = pair(args);
        eval(wait_js(&css, "el")).await?;
        eval(format!(
            "const el = document.querySelector({}); el.focus(); el.value = {}; \
             el.dispatchEvent(new Event('input', {{ bubbles: true }})); el.dispatchEvent(new Event('change', {{ bubbles: true }})); dioxus.send('ok');",
            serde_json::to_string(&css).unwrap_or_default(),
            serde_json::to_string(&value).unwrap_or_default()
        ))
        .await?;
    } else if let Some(args) = step.get("key") {
        let (css, key) = pair(args);
        eval(wait_js(&css, "el")).await?;
        eval(format!(
            "const el = document.querySelector({}); el.focus(); \
             el.dispatchEvent(new KeyboardEvent('keydown', {{ key: {}, bubbles: true }})); dioxus.send('ok');",
            serde_json::to_string(&css).unwrap_or_default(),
            serde_json::to_string(&key).unwrap_or_default()
        ))
        .await?;
    } else if let Some(args) = step.get("wait") {
        let (css, contains) = pair(args);
        let condition = format!(
            "el && ((el.innerText || '') + (el.value || '')).includes({})",
            serde_json::to_string(&contains).unwrap_or_default()
        );
        let secs = args.get(2).and_then(Value::as_u64).unwrap_or(10);
        eval(wait_js_for(&css, &condition, secs)).await?;
    } else if let Some(css) = step.get("scroll") {
        let css = text(css);
        eval(wait_js(&css, "el")).await?;
        eval(format!(
            "document.querySelector({}).scrollIntoView({{ block: 'center' }}); dioxus.send('ok');",
            serde_json::to_string(&css).unwrap_or_default()
        ))
        .await?;
    } else if let Some(args) = step.get("watch") {
        // From now on, if `css` ever appears, a marker `#seen-NAME` is added outside the app's
        // tree (a later `gone` step proves it never did, even for a moment).
        let (name, css) = pair(args);
        eval(format!(
            "const css = {css}; const name = {name};              const mark = () => {{ if (document.querySelector(css) && !document.getElementById('seen-' + name)) {{                const m = document.createElement('div'); m.id = 'seen-' + name; m.hidden = true; document.documentElement.appendChild(m); }} }};              new MutationObserver(mark).observe(document.documentElement, {{ subtree: true, childList: true }}); mark(); dioxus.send('ok');",
            css = serde_json::to_string(&css).unwrap_or_default(),
            name = serde_json::to_string(&name).unwrap_or_default()
        ))
        .await?;
    } else if let Some(css) = step.get("gone") {
        eval(wait_js(&text(css), "!el")).await?;
    } else if let Some(args) = step.get("read") {
        let (name, css) = pair(args);
        eval(wait_js(&css, "el")).await?;
        // An attribute when a third argument names one ("style:NAME": a computed style), else
        // the text or value.
        let value = eval(format!(
            "const el = document.querySelector({}); const attr = {}; \
             const value = !attr ? (el.innerText || el.value || '') \
               : attr.startsWith('style:') ? getComputedStyle(el).getPropertyValue(attr.slice(6)) \
               : (el.getAttribute(attr) || ''); \
             dioxus.send('text:' + value);",
            serde_json::to_string(&css).unwrap_or_default(),
            serde_json::to_string(&text(&args[2])).unwrap_or_default()
        ))
        .await?;
        let now = tessera_core::otp::unix_now();
        reads.insert(format!("{name}@time"), json!(now));
        reads.insert(name, Value::String(value));
    } else if let Some(args) = step.get("js") {
        // A script's answer: the body of an async function, whose return value is recorded.
        let (name, body) = pair(args);
        let value = eval(format!(
            "const value = await (async () => {{ {body} }})(); dioxus.send('text:' + String(value));"
        ))
        .await?;
        reads.insert(name, Value::String(value));
    } else if let Some(name) = step.get("shot") {
        let name = text(name);
        let _ = writeln!(log, "{}", json!({ "shot": name }));
        let _ = log.flush();
        let mut ack = script.as_os_str().to_owned();
        ack.push(format!(".ack-{name}"));
        let ack = PathBuf::from(ack);
        // A test's hook may photograph the window for minutes (the transfer test does).
        let tries = if name.starts_with("hook-") { 6000 } else { 200 };
        for _ in 0..tries {
            if ack.exists() {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        return Err(format!("no screenshot acknowledgement for {name}"));
    } else if let Some(size) = step.get("resize") {
        resize(
            size[0].as_f64().unwrap_or(360.0),
            size[1].as_f64().unwrap_or(800.0),
        );
        tokio::time::sleep(Duration::from_millis(400)).await;
    } else if let Some(ms) = step.get("sleep") {
        tokio::time::sleep(Duration::from_millis(ms.as_u64().unwrap_or(100))).await;
    } else {
        return Err(format!("unknown step {step}"));
    }
    Ok(())
}

#[cfg(feature = "desktop")]
fn resize(width: f64, height: f64) {
    dioxus::desktop::window().set_inner_size(dioxus::desktop::LogicalSize::new(width, height));
}

#[cfg(not(feature = "desktop"))]
fn resize(_width: f64, _height: f64) {}
