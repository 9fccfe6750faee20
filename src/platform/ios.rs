//! iPhone and iPad glue through objc2 (pure Rust bindings; no Xcode at build time):
//!
//! - the vault's folder: Application Support in the app's container, marked
//!   `NSFileProtectionComplete` so that its files (new ones inherit the folder's class) cannot
//!   be read while the phone is locked;
//! - the Documents folder, which `UIFileSharingEnabled` shows in the Files app, for backups
//!   and exports that must leave the phone;
//! - the clipboard: `UIPasteboard` with local-only (no Universal Clipboard to the user's other
//!   devices) and an expiration date, so iOS itself clears the code;
//! - sharing a written backup or export: the share sheet (`UIActivityViewController`) or the
//!   document picker's "save to" (`UIDocumentPickerViewController` for exporting a copy);
//! - the privacy cover: a plain view over the web view while the app is inactive, so the app
//!   switcher's picture shows no codes.

use std::cell::RefCell;
use std::path::PathBuf;

use objc2::rc::Retained;
use objc2::runtime::AnyObject;
use objc2::{MainThreadMarker, MainThreadOnly};
use objc2_foundation::{
    NSArray, NSDate, NSDictionary, NSFileManager, NSSearchPathDirectory, NSSearchPathDomainMask,
    NSString, NSURL, NSURLFileProtectionComplete, NSURLFileProtectionKey,
};
use objc2_ui_kit::{
    UIActivityViewController, UIColor, UIDocumentPickerViewController, UIPasteboard,
    UIPasteboardOptionExpirationDate, UIPasteboardOptionLocalOnly, UIView, UIViewAutoresizing,
    UIViewController,
};

fn user_folder(which: NSSearchPathDirectory) -> Option<Retained<NSURL>> {
    let urls = NSFileManager::defaultManager()
        .URLsForDirectory_inDomains(which, NSSearchPathDomainMask::UserDomainMask);
    urls.firstObject()
}

fn path_of(url: &NSURL) -> Option<PathBuf> {
    url.path().map(|p| PathBuf::from(p.to_string()))
}

/// Application Support, created and marked complete file protection.
pub fn protected_support_dir() -> Result<PathBuf, String> {
    let url = user_folder(NSSearchPathDirectory::ApplicationSupportDirectory)
        .ok_or("iOS gave no Application Support folder")?;
    let path = path_of(&url).ok_or("iOS gave Application Support as no path")?;
    std::fs::create_dir_all(&path)
        .map_err(|e| format!("the folder {} could not be created: {e}", path.display()))?;
    // SAFETY: NSURLFileProtectionKey takes an NSURLFileProtectionType (an NSString) value.
    let protected = unsafe {
        let value: &AnyObject = NSURLFileProtectionComplete.as_ref();
        url.setResourceValue_forKey_error(Some(value), NSURLFileProtectionKey)
    };
    protected.map_err(|e| {
        format!(
            "the folder {} could not be protected: {}",
            path.display(),
            e.localizedDescription()
        )
    })?;
    Ok(path)
}

/// The app's Documents folder (shown in the Files app).
pub fn documents_dir() -> Option<PathBuf> {
    user_folder(NSSearchPathDirectory::DocumentDirectory).and_then(|u| path_of(&u))
}

/// Copies `text` to this device's clipboard only, expiring after `expire_secs` (0: never).
pub fn copy_local(text: &str, expire_secs: u64) {
    let board = UIPasteboard::generalPasteboard();
    let key = NSString::from_str("public.utf8-plain-text");
    let value = NSString::from_str(text);
    let item: Retained<NSDictionary<NSString, AnyObject>> =
        NSDictionary::from_slices(&[&*key], &[value.as_ref() as &AnyObject]);
    let items = NSArray::from_retained_slice(&[item]);
    let yes = objc2_foundation::NSNumber::new_bool(true);
    let mut keys: Vec<&NSString> = vec![unsafe { UIPasteboardOptionLocalOnly }];
    let mut values: Vec<Retained<AnyObject>> = vec![yes.into()];
    if expire_secs > 0 {
        keys.push(unsafe { UIPasteboardOptionExpirationDate });
        values.push(NSDate::dateWithTimeIntervalSinceNow(expire_secs as f64).into());
    }
    let value_refs: Vec<&AnyObject> = values.iter().map(|v| &**v).collect();
    let options = NSDictionary::from_slices(&keys, &value_refs);
    // SAFETY: the item maps a UTI to an NSString, the options are the documented keys.
    unsafe { board.setItems_options(&items, &options) };
}

/// The pasteboard's change count: it moves whenever any app copies. Comparing counts tells
/// whether the clipboard still holds what Tessera put there without reading it (reading
/// another app's content shows iOS's "pasted from" banner).
pub fn clipboard_change_count() -> isize {
    // SAFETY: reading a counter of the general pasteboard.
    unsafe { UIPasteboard::generalPasteboard().changeCount() }
}

/// Empties the clipboard.
pub fn clear_clipboard() {
    let empty: Retained<NSArray<NSDictionary<NSString, AnyObject>>> = NSArray::new();
    let options: Retained<NSDictionary<NSString, AnyObject>> = NSDictionary::new();
    // SAFETY: empty items and options.
    unsafe { UIPasteboard::generalPasteboard().setItems_options(&empty, &options) };
}

thread_local! {
    static COVER: RefCell<Option<Retained<UIView>>> = const { RefCell::new(None) };
}

/// Covers (true) or uncovers the app's view. `root` is tao's `UIView` of the window.
pub fn set_privacy_cover(root: *mut std::ffi::c_void, covered: bool) {
    let Some(mtm) = MainThreadMarker::new() else {
        return;
    };
    COVER.with(|cover| {
        let mut cover = cover.borrow_mut();
        if let Some(view) = cover.take() {
            view.removeFromSuperview();
        }
        if !covered || root.is_null() {
            return;
        }
        // SAFETY: tao gives the window's UIView, alive as long as the window.
        let root: &UIView = unsafe { &*root.cast::<UIView>() };
        let view = UIView::initWithFrame(UIView::alloc(mtm), root.bounds());
        view.setBackgroundColor(Some(&UIColor::systemBackgroundColor()));
        view.setAutoresizingMask(
            UIViewAutoresizing::FlexibleWidth | UIViewAutoresizing::FlexibleHeight,
        );
        root.addSubview(&view);
        *cover = Some(view);
    });
}

/// How to hand a file to the user: the share sheet, or the document picker to save a copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hand {
    /// The share sheet (AirDrop, Mail, another app).
    Share,
    /// "Save to Files": a copy wherever the user picks (iCloud Drive, a USB drive).
    SaveCopy,
}

/// Presents the share sheet or the document picker for the file at `path`, over the app.
/// `root` is tao's view controller of the window; call on the main thread (a click handler).
pub fn hand_over(
    root: *mut std::ffi::c_void,
    path: &std::path::Path,
    how: Hand,
) -> Result<(), String> {
    let mtm = MainThreadMarker::new().ok_or("the share sheet opens from the main thread only")?;
    if root.is_null() {
        return Err("the app has no window to show it over".into());
    }
    // SAFETY: tao gives the window's root UIViewController, alive as long as the window.
    let root: &UIViewController = unsafe { &*root.cast::<UIViewController>() };
    let url = NSURL::fileURLWithPath(&NSString::from_str(&path.to_string_lossy()));
    let shown: Retained<UIViewController> = match how {
        Hand::Share => {
            let items: Retained<NSArray> =
                NSArray::from_retained_slice(&[Retained::into_super(Retained::into_super(url))]);
            // SAFETY: the items are an array of one file URL, as the share sheet takes.
            let sheet = unsafe {
                UIActivityViewController::initWithActivityItems_applicationActivities(
                    UIActivityViewController::alloc(mtm),
                    &items,
                    None,
                )
            };
            Retained::into_super(sheet)
        }
        Hand::SaveCopy => {
            let urls = NSArray::from_retained_slice(&[url]);
            let picker = UIDocumentPickerViewController::initForExportingURLs_asCopy(
                UIDocumentPickerViewController::alloc(mtm),
                &urls,
                true,
            );
            Retained::into_super(picker)
        }
    };
    // On iPad both show as popovers, which must be anchored or UIKit stops the app.
    if let Some(popover) = shown.popoverPresentationController()
        && let Some(view) = root.view()
    {
        popover.setSourceView(Some(&view));
    }
    root.presentViewController_animated_completion(&shown, true, None);
    Ok(())
}
