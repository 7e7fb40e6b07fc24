//! `SendWrapper<T>`: a `T` that may be moved between threads but only used on the one it was
//! made on. Leptos, tachys and reactive_graph wrap the browser's values in it (DOM nodes, event
//! handlers, futures) so that their `Send` bounds hold; they name it from the `send_wrapper`
//! crate, which this one replaces through `[patch.crates-io]` with the same API.
//!
//! Why: on `wasm32-unknown-unknown` without the `atomics` feature (how the widget and the console
//! are built) there is one thread, so the check can never fail, yet asking for the current thread
//! brought `std::thread::current`, thread ids and their panics' formatting into both apps' first
//! modules. Here the check is made only where threads exist (native builds, Leptos' tests).

#[cfg(feature = "futures")]
mod futures;

use std::fmt;
use std::mem::ManuallyDrop;
use std::ops::{Deref, DerefMut};

/// Where a wrapper was made: the thread, where there can be more than one.
#[cfg(not(all(target_arch = "wasm32", not(target_feature = "atomics"))))]
#[derive(Clone, Copy, PartialEq)]
struct Home(std::thread::ThreadId);

#[cfg(not(all(target_arch = "wasm32", not(target_feature = "atomics"))))]
impl Home {
    fn here() -> Home {
        Home(std::thread::current().id())
    }
}

/// Where a wrapper was made, where there is only one place.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[derive(Clone, Copy, PartialEq)]
struct Home;

#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
impl Home {
    fn here() -> Home {
        Home
    }
}

/// A value that may cross threads but is only read, polled or dropped on the thread that made it.
pub struct SendWrapper<T> {
    value: ManuallyDrop<T>,
    home: Home,
}

// SAFETY: the value is reached (`Deref`, `DerefMut`, `take`, polling) and dropped only after
// `at_home` confirms the current thread is the one that made it; elsewhere those panic, and a
// drop elsewhere panics too (or, while already panicking, leaks the value).
unsafe impl<T> Send for SendWrapper<T> {}
// SAFETY: as above; a shared reference gives access only through `Deref`, checked the same way.
unsafe impl<T> Sync for SendWrapper<T> {}

impl<T> SendWrapper<T> {
    pub fn new(value: T) -> SendWrapper<T> {
        SendWrapper { value: ManuallyDrop::new(value), home: Home::here() }
    }

    /// Whether the value may be used here: on the thread that made it.
    pub fn valid(&self) -> bool {
        self.home == Home::here()
    }

    /// The value, out of its wrapper.
    ///
    /// # Panics
    /// On another thread than the one that made it.
    #[track_caller]
    pub fn take(self) -> T {
        self.at_home("took");
        let mut this = ManuallyDrop::new(self);
        // SAFETY: `this` is never dropped, so the value is taken out exactly once.
        unsafe { ManuallyDrop::take(&mut this.value) }
    }

    #[track_caller]
    fn at_home(&self, what: &str) {
        if !self.valid() {
            away(what)
        }
    }
}

#[cold]
#[track_caller]
fn away(what: &str) -> ! {
    panic!("{what} a SendWrapper's value on another thread than the one that made it")
}

impl<T> Deref for SendWrapper<T> {
    type Target = T;

    #[track_caller]
    fn deref(&self) -> &T {
        self.at_home("read");
        &self.value
    }
}

impl<T> DerefMut for SendWrapper<T> {
    #[track_caller]
    fn deref_mut(&mut self) -> &mut T {
        self.at_home("changed");
        &mut self.value
    }
}

impl<T> Drop for SendWrapper<T> {
    #[track_caller]
    fn drop(&mut self) {
        if !std::mem::needs_drop::<T>() || self.valid() {
            // SAFETY: dropped once, here, on the thread that made it (or it needs no drop).
            unsafe { ManuallyDrop::drop(&mut self.value) }
        } else if !std::thread::panicking() {
            away("dropped")
        }
    }
}

impl<T: Clone> Clone for SendWrapper<T> {
    #[track_caller]
    fn clone(&self) -> Self {
        SendWrapper::new(T::clone(self))
    }
}

impl<T: fmt::Debug> fmt::Debug for SendWrapper<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("SendWrapper").field(&**self).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::SendWrapper;
    use std::rc::Rc;

    #[test]
    fn the_value_is_used_and_taken_on_its_thread() {
        let mut wrapped = SendWrapper::new(Rc::new(vec![1]));
        Rc::make_mut(&mut wrapped).push(2);
        assert_eq!(**wrapped.clone(), [1, 2]);
        assert!(wrapped.valid());
        assert_eq!(*wrapped.take(), [1, 2]);
    }

    #[test]
    fn another_thread_may_hold_it_but_not_read_it() {
        let wrapped = SendWrapper::new(Rc::new(5));
        let (valid, read) = std::thread::spawn(move || {
            let valid = wrapped.valid();
            let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| **wrapped));
            // Dropped here it would panic: it goes back instead.
            (valid, read.is_ok(), wrapped)
        })
        .join()
        .map(|(valid, read, wrapped)| {
            assert_eq!(*wrapped.take(), 5);
            (valid, read)
        })
        .unwrap_or((true, true));
        assert!(!valid && !read);
    }
}
