//! Boxed closures called through traits of one method, not `dyn FnMut` or `dyn Fn`.
//!
//! Why: the vtable of a `dyn FnMut` closure also holds its `FnOnce::call_once`, and a `dyn Fn`'s
//! its `call_mut` too: shims compiled for every closure so boxed, though nothing calls them (a
//! boxed closure is called by reference). A trait of one method has one entry, the call. Both
//! apps box a closure for every listener, effect, reactive part and callback, so the shims were
//! kilobytes (in the widget, about 40 bytes before wasm-opt for each of some two hundred).

/// `FnMut()`: an effect's run.
pub(crate) trait Run {
    fn run(&mut self);
}

impl<F: FnMut()> Run for F {
    fn run(&mut self) {
        self()
    }
}

/// `Fn() -> T`: what a reactive part, a condition or a screen gives.
pub trait Give<T> {
    fn give(&self) -> T;
}

impl<T, F: Fn() -> T> Give<T> for F {
    fn give(&self) -> T {
        self()
    }
}

/// `FnMut(T)`: a listener's handling of an event.
pub(crate) trait Take<T> {
    fn take(&mut self, arg: T);
}

impl<T, F: FnMut(T)> Take<T> for F {
    fn take(&mut self, arg: T) {
        self(arg)
    }
}

/// `Fn(T)`: a callback (`cell::Call`).
pub(crate) trait Answer<T> {
    fn answer(&self, arg: T);
}

impl<T, F: Fn(T)> Answer<T> for F {
    fn answer(&self, arg: T) {
        self(arg)
    }
}
