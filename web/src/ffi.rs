//! The WebAssembly exports: the page writes a JSON request into memory it asked for
//! with [`alloc`], calls [`handle`], and reads the answer's bytes at [`answer`].
//! Plain exports keep the build to `cargo` alone (no bindings generator); `web/API.md`
//! shows the JavaScript side.

use std::cell::RefCell;

thread_local! {
    /// The last answer, kept until the next request.
    static ANSWER: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Reserves `len` bytes for a request and returns where they start.
#[unsafe(no_mangle)]
pub extern "C" fn alloc(len: usize) -> *mut u8 {
    let mut bytes = Vec::<u8>::with_capacity(len);
    let ptr = bytes.as_mut_ptr();
    std::mem::forget(bytes);
    ptr
}

/// Answers the UTF-8 JSON request of `len` bytes at `ptr` (from [`alloc`], freed
/// here); returns the answer's length, its bytes at [`answer`].
///
/// # Safety
/// `ptr` must come from `alloc(len)` and hold `len` initialized bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn handle(ptr: *mut u8, len: usize) -> usize {
    HOOK.call_once(|| std::panic::set_hook(Box::new(keep_panic)));
    // SAFETY: the caller passes back what `alloc(len)` reserved, now filled.
    let bytes = unsafe { Vec::from_raw_parts(ptr, len, len) };
    let text = match String::from_utf8(bytes) {
        Ok(text) => crate::handle(&text),
        Err(_) => r#"{"error":"the request is not UTF-8"}"#.to_string(),
    };
    ANSWER.with(|a| {
        *a.borrow_mut() = text.into_bytes();
        a.borrow().len()
    })
}

static HOOK: std::sync::Once = std::sync::Once::new();

/// A panic aborts the module's call (the page sees a trap); its message is kept as
/// the answer, an error the page can still read through [`answer`] and
/// [`answer_len`].
fn keep_panic(info: &std::panic::PanicHookInfo<'_>) {
    let error = serde_json::json!({ "error": format!("internal error: {info}") });
    ANSWER.with(|a| {
        if let Ok(mut a) = a.try_borrow_mut() {
            *a = error.to_string().into_bytes();
        }
    });
}

/// The last answer's length.
#[unsafe(no_mangle)]
pub extern "C" fn answer_len() -> usize {
    ANSWER.with(|a| a.borrow().len())
}

/// Where the last answer's bytes start.
#[unsafe(no_mangle)]
pub extern "C" fn answer() -> *const u8 {
    ANSWER.with(|a| a.borrow().as_ptr())
}
