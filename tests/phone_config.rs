//! What dx 0.7.10 reads to build the phone apps, checked here where no SDK or Xcode runs:
//! `Dioxus.toml`, the Android manifest and activity it copies verbatim (its
//! `packages/cli/src/build/android.rs` reads `android_manifest` and `android_main_activity`
//! as plain files, without templating), the Info.plist entries it derives
//! (`config/manifest_mapper.rs`: `[permissions] camera` becomes `NSCameraUsageDescription`;
//! `[ios.plist]` is copied in), and the release workflow for a CI that has the SDKs.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use tessera::platform::jni_calls::{self, ACTIVITY_METHODS};

fn project(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn read(path: &str) -> String {
    std::fs::read_to_string(project(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn dioxus_toml() -> toml::Table {
    read("Dioxus.toml").parse().expect("Dioxus.toml is TOML")
}

fn str_at<'a>(table: &'a toml::Table, path: &[&str]) -> Option<&'a str> {
    let (last, parents) = path.split_last()?;
    let mut at = table;
    for p in parents {
        at = at.get(*p)?.as_table()?;
    }
    at.get(*last)?.as_str()
}

const ANDROID: &str = "http://schemas.android.com/apk/res/android";

/// A manifest's requested permissions, features (name, required) and the parsed document.
struct Manifest {
    text: String,
}

impl Manifest {
    fn load(path: &str) -> Manifest {
        Manifest { text: read(path) }
    }

    fn doc(&self) -> roxmltree::Document<'_> {
        roxmltree::Document::parse(&self.text).expect("the manifest is well-formed XML")
    }

    fn permissions(&self) -> BTreeSet<String> {
        self.doc()
            .descendants()
            .filter(|n| n.has_tag_name("uses-permission"))
            .filter_map(|n| n.attribute((ANDROID, "name")).map(str::to_owned))
            .collect()
    }
}

#[test]
fn dioxus_toml_names_the_files_dx_copies_and_the_camera_reason() {
    let config = dioxus_toml();
    for key in ["android_manifest", "android_main_activity"] {
        let file = str_at(&config, &["application", key]).unwrap_or_else(|| panic!("{key}"));
        assert!(project(file).is_file(), "{key} = {file} exists");
    }
    assert_eq!(
        str_at(&config, &["application", "android_manifest"]),
        Some("android/AndroidManifest.xml"),
        "the release manifest, not the development one"
    );
    // dx's manifest_mapper: [permissions] camera -> NSCameraUsageDescription (and CAMERA in
    // its own Android template, which ours replaces and lists itself).
    let reason = str_at(&config, &["permissions", "camera", "description"])
        .expect("[permissions] camera = { description = ... }");
    assert!(
        reason.contains("camera") && reason.contains("QR code"),
        "{reason}"
    );
    let plist = dx_info_plist_entries(&config);
    assert_eq!(
        plist
            .get("NSCameraUsageDescription")
            .and_then(|v| v.as_str()),
        Some(reason)
    );
    // The Documents folder in the Files app: how a backup leaves and reaches an iPhone.
    assert_eq!(
        plist.get("UIFileSharingEnabled").and_then(|v| v.as_bool()),
        Some(true)
    );
    assert_eq!(
        plist
            .get("LSSupportsOpeningDocumentsInPlace")
            .and_then(|v| v.as_bool()),
        Some(true)
    );
    // Face ID's reason, from [permissions] biometrics (USE_BIOMETRIC on Android, in ours).
    let face = str_at(&config, &["permissions", "biometrics", "description"])
        .expect("[permissions] biometrics = { description = ... }");
    assert!(
        face.contains("Face ID") && face.contains("password"),
        "{face}"
    );
    assert_eq!(
        plist
            .get("NSFaceIDUsageDescription")
            .and_then(|v| v.as_str()),
        Some(face)
    );
    // R8 keeps what JNI calls.
    let rules = config["android"]["proguard_rules"]
        .as_array()
        .expect("proguard_rules");
    assert_eq!(rules.len(), 1);
    let rules = read(rules[0].as_str().unwrap());
    assert!(
        rules.contains("-keep class dev.dioxus.main.MainActivity")
            && rules.contains("public <methods>;"),
        "{rules}"
    );
    // The old fragments nothing read are gone.
    assert!(!project("android/AndroidManifest.fragment.xml").exists());
    assert!(!project("ios/Info.additions.plist").exists());
}

/// The Info.plist keys dx 0.7.10 adds from `Dioxus.toml`, as its `manifest_mapper.rs` and
/// `ios.plist.hbs` do: usage descriptions from `[permissions]`, then `[ios.plist]` as is.
fn dx_info_plist_entries(config: &toml::Table) -> toml::Table {
    let mut out = toml::Table::new();
    let usage = [
        ("camera", "NSCameraUsageDescription"),
        ("biometrics", "NSFaceIDUsageDescription"),
    ];
    if let Some(permissions) = config.get("permissions").and_then(|p| p.as_table()) {
        for (name, key) in usage {
            if let Some(d) = permissions
                .get(name)
                .and_then(|p| p.get("description"))
                .cloned()
            {
                out.insert(key.into(), d);
            }
        }
        assert!(
            permissions
                .keys()
                .all(|k| usage.iter().any(|(name, _)| name == k)),
            "only the camera and biometrics are asked for: {:?}",
            permissions.keys().collect::<Vec<_>>()
        );
    }
    if let Some(plist) = config
        .get("ios")
        .and_then(|i| i.get("plist"))
        .and_then(|p| p.as_table())
    {
        out.extend(plist.clone());
    }
    out
}

#[test]
fn the_release_manifest_has_the_camera_no_internet_and_no_device_backup() {
    let release = Manifest::load("android/AndroidManifest.xml");
    assert!(
        !release.text.contains("{{"),
        "dx copies it verbatim: no templating"
    );
    assert_eq!(
        release.permissions(),
        BTreeSet::from([
            "android.permission.CAMERA".to_owned(),
            "android.permission.USE_BIOMETRIC".to_owned()
        ]),
        "the camera and biometric unlock only: no INTERNET, Tessera talks to no server"
    );
    let doc = release.doc();
    let feature = doc
        .descendants()
        .find(|n| {
            n.has_tag_name("uses-feature")
                && n.attribute((ANDROID, "name")) == Some("android.hardware.camera")
        })
        .expect("android.hardware.camera is declared");
    assert_eq!(
        feature.attribute((ANDROID, "required")),
        Some("false"),
        "phones without a camera can install Tessera (Image, Paste and Type remain)"
    );
    let app = doc
        .descendants()
        .find(|n| n.has_tag_name("application"))
        .unwrap();
    assert_eq!(app.attribute((ANDROID, "allowBackup")), Some("false"));
    assert_eq!(app.attribute((ANDROID, "fullBackupContent")), Some("false"));
    assert_eq!(
        app.attribute((ANDROID, "usesCleartextTraffic")),
        Some("false")
    );
    // What dx writes beside the manifest, which it must keep naming.
    for (attr, value) in [
        ("theme", "@style/AppTheme"),
        ("icon", "@mipmap/ic_launcher"),
        ("label", "@string/app_name"),
        ("networkSecurityConfig", "@xml/network_security_config"),
        ("hasCode", "true"),
    ] {
        assert_eq!(app.attribute((ANDROID, attr)), Some(value), "{attr}");
    }
    let activities: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("activity"))
        .collect();
    assert_eq!(activities.len(), 1);
    let activity = activities[0];
    assert_eq!(
        activity.attribute((ANDROID, "name")),
        Some("dev.dioxus.main.MainActivity")
    );
    assert_eq!(activity.attribute((ANDROID, "exported")), Some("true"));
    let meta = |name: &str| {
        activity
            .children()
            .find(|n| n.has_tag_name("meta-data") && n.attribute((ANDROID, "name")) == Some(name))
            .and_then(|n| n.attribute((ANDROID, "value")))
    };
    assert_eq!(
        meta("android.app.lib_name"),
        Some("main"),
        "dx's libmain.so"
    );
    assert_eq!(
        meta("android.app.func_name"),
        Some("ANativeActivity_onCreate")
    );
    let launcher = activity.descendants().any(|n| {
        n.has_tag_name("category")
            && n.attribute((ANDROID, "name")) == Some("android.intent.category.LAUNCHER")
    });
    assert!(launcher, "the activity is the launcher's");
}

#[test]
fn the_development_manifest_only_adds_the_dev_servers_socket() {
    let release = Manifest::load("android/AndroidManifest.xml");
    let dev = Manifest::load("android/AndroidManifest.dev.xml");
    let mut expected = release.permissions();
    expected.insert("android.permission.INTERNET".into());
    assert_eq!(dev.permissions(), expected);
    // Everything else is the same document: the same elements with the same attributes,
    // apart from cleartext to the dev server.
    let shape = |m: &Manifest| -> Vec<String> {
        m.doc()
            .descendants()
            .filter(|n| n.is_element() && !n.has_tag_name("uses-permission"))
            .map(|n| {
                let attrs: Vec<String> = n
                    .attributes()
                    .filter(|a| a.name() != "usesCleartextTraffic")
                    .map(|a| format!("{}={}", a.name(), a.value()))
                    .collect();
                format!("{} {}", n.tag_name().name(), attrs.join(" "))
            })
            .collect()
    };
    assert_eq!(shape(&dev), shape(&release));
    let script = read("android/serve.sh");
    assert!(script.contains("AndroidManifest.dev.xml") && script.contains("dx serve"));
}

/// `fun name(a: A, b: B): R` of a Kotlin file: name, parameter types, return type.
fn kotlin_functions(source: &str) -> Vec<(String, Vec<String>, String)> {
    let mut out = Vec::new();
    for line in source.lines() {
        let line = line.trim_start();
        let Some(rest) = line.strip_prefix("fun ") else {
            continue;
        };
        let Some((name, rest)) = rest.split_once('(') else {
            continue;
        };
        let Some((params, rest)) = rest.split_once(')') else {
            continue;
        };
        let params: Vec<String> = params
            .split(',')
            .filter(|p| !p.trim().is_empty())
            .map(|p| p.split_once(':').map_or("", |(_, t)| t).trim().to_owned())
            .collect();
        let returns = rest
            .trim_start()
            .strip_prefix(':')
            .map(|r| {
                r.trim()
                    .split([' ', '{', '='])
                    .next()
                    .unwrap_or("")
                    .to_owned()
            })
            .unwrap_or_else(|| "Unit".into());
        out.push((name.trim().to_owned(), params, returns));
    }
    out
}

#[test]
fn the_activity_hides_the_screen_first_and_offers_every_method_rust_calls() {
    let source = read("android/MainActivity.kt");
    assert!(
        !source.contains("{{"),
        "dx copies it verbatim: no templating"
    );
    assert!(source.contains("package dev.dioxus.main\n"));
    assert!(source.contains("class MainActivity : WryActivity()"));
    let config = dioxus_toml();
    let identifier = str_at(&config, &["bundle", "identifier"]).unwrap();
    assert!(
        source.contains(&format!("typealias BuildConfig = {identifier}.BuildConfig")),
        "wry's Logger.kt reads BuildConfig in dev.dioxus.main"
    );
    // FLAG_SECURE before super.onCreate, which starts Rust and draws the first frame.
    let on_create = source
        .find("override fun onCreate(")
        .expect("onCreate is overridden");
    let body = &source[on_create..];
    let policy = body.find("applyScreenshotPolicy(").unwrap();
    let sup = body.find("super.onCreate(").unwrap();
    assert!(
        policy < sup,
        "the screenshot policy comes before super.onCreate"
    );
    assert!(
        source.contains("getBoolean(SCREENSHOTS_ALLOWED, false)"),
        "forbidden by default"
    );
    assert!(source.contains("WindowManager.LayoutParams.FLAG_SECURE"));
    // The clipboard marks codes sensitive.
    assert!(source.contains("android.content.extra.IS_SENSITIVE"));

    let functions = kotlin_functions(&source);
    for method in ACTIVITY_METHODS {
        let found: Vec<_> = functions
            .iter()
            .filter(|(n, ..)| n == method.name)
            .collect();
        assert_eq!(found.len(), 1, "{} is defined once", method.name);
        let (_, params, returns) = found[0];
        let params: Vec<&str> = params.iter().map(String::as_str).collect();
        assert_eq!(
            jni_calls::descriptor(&params, returns).as_deref(),
            Some(method.descriptor),
            "Rust calls {} with the descriptor of the Kotlin method",
            method.name
        );
        let private = source.contains(&format!("private fun {}(", method.name));
        assert!(!private, "{} must be public for JNI", method.name);
    }
}

#[test]
fn the_phone_workflow_builds_both_apps_with_the_pinned_dx() {
    let text = read(".github/workflows/phones.yml");
    let json = std::process::Command::new("python3")
        .args([
            "-c",
            "import json, sys, yaml; print(json.dumps(yaml.safe_load(sys.stdin)))",
        ])
        .stdin(std::fs::File::open(project(".github/workflows/phones.yml")).unwrap())
        .output();
    let workflow: serde_json::Value = match json {
        Ok(out) if out.status.success() => serde_json::from_slice(&out.stdout).unwrap(),
        _ if std::env::var_os("TESSERA_REQUIRE_PYTHON").is_some() => {
            panic!("python3 with PyYAML is required (TESSERA_REQUIRE_PYTHON)")
        }
        _ => {
            eprintln!(
                "notice: python3 with PyYAML is missing; the workflow is checked as text only"
            );
            assert!(text.contains("dioxus-cli --version 0.7.10"));
            return;
        }
    };
    let jobs = workflow["jobs"].as_object().expect("jobs");
    let steps_text = |job: &str| -> String {
        jobs[job]["steps"]
            .as_array()
            .unwrap_or_else(|| panic!("{job} has steps"))
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    };
    let android = steps_text("android");
    assert!(
        jobs["android"]["runs-on"]
            .as_str()
            .unwrap()
            .contains("ubuntu")
    );
    for needle in [
        "dioxus-cli --version 0.7.10 --locked",
        "setup-android",
        "ndk",
        "dx bundle --platform android --release",
        "--no-default-features --features mobile",
        "upload-artifact",
        ".apk",
    ] {
        assert!(android.contains(needle), "android job: {needle}");
    }
    let ios = steps_text("ios");
    assert!(jobs["ios"]["runs-on"].as_str().unwrap().contains("macos"));
    for needle in [
        "dioxus-cli --version 0.7.10 --locked",
        "aarch64-apple-ios",
        "dx bundle --platform ios --release",
        "upload-artifact",
    ] {
        assert!(ios.contains(needle), "ios job: {needle}");
    }
    let docs = read("docs/mobile.md");
    assert!(docs.contains("0.7.10"), "docs/mobile.md pins the same dx");
    assert!(
        !docs.contains("Open the generated Xcode project"),
        "dx writes no Xcode project"
    );
}

#[test]
fn biometric_keys_are_bound_to_the_prompt_and_both_sides_agree_on_the_answers() {
    let source = read("android/MainActivity.kt");
    // The key needs the biometric for every use and dies with a new enrolment.
    let generate = source
        .find("private fun generateBiometricKey(")
        .expect("the key is made in one place");
    let body = &source[generate..source[generate..].find("\n    }\n").unwrap() + generate];
    for flag in [
        ".setUserAuthenticationRequired(true)",
        ".setInvalidatedByBiometricEnrollment(true)",
        ".setUserAuthenticationParameters(0, KeyProperties.AUTH_BIOMETRIC_STRONG)",
        ".setIsStrongBoxBacked(strongBox)",
        "KeyProperties.BLOCK_MODE_GCM",
    ] {
        assert!(body.contains(flag), "the key spec has {flag}");
    }
    assert!(!source.contains("setUserAuthenticationRequired(false)"));
    // The prompt unlocks a cipher (CryptoObject): the biometric is part of the decryption.
    assert!(source.contains("prompt.authenticate(BiometricPrompt.CryptoObject(cipher)"));
    assert_eq!(
        source.matches("prompt.authenticate(").count(),
        1,
        "no prompt without a CryptoObject"
    );
    assert!(source.contains("BiometricManager.Authenticators.BIOMETRIC_STRONG"));
    assert!(source.contains("KeyPermanentlyInvalidatedException"));
    // Key bytes are wiped on the Java side once Rust has them.
    assert!(source.contains("data?.fill(0)") && source.contains("secret.fill(0)"));

    // The answer codes are the same numbers on both sides.
    for (name, value) in jni_calls::codes::ALL {
        let line = format!("const val {name} = {value}\n");
        assert!(source.contains(&line), "MainActivity.kt defines {line:?}");
    }
    // The native method: Kotlin's declaration matches the descriptor and Rust's symbol.
    let native = source
        .lines()
        .map(str::trim)
        .find_map(|l| l.strip_prefix("external fun "))
        .expect("an external fun");
    let (_, params, returns) = kotlin_functions(&format!("fun {native}")).pop().unwrap();
    let params: Vec<&str> = params.iter().map(String::as_str).collect();
    assert!(native.starts_with(jni_calls::ON_BIOMETRIC_RESULT.name));
    assert_eq!(
        jni_calls::descriptor(&params, &returns).as_deref(),
        Some(jni_calls::ON_BIOMETRIC_RESULT.descriptor)
    );
    let rust = read("src/platform/android_biometric.rs");
    assert!(rust.contains(&format!(
        "pub extern \"system\" fn Java_dev_dioxus_main_MainActivity_{}(",
        jni_calls::ON_BIOMETRIC_RESULT.name
    )));
    assert!(rust.contains("#[unsafe(no_mangle)]"));
}
