//! Reactive values, stored values and effects whose Leptos machinery is compiled once, not once
//! per type: `Cell<T>` (an `RwSignal<T>`), `Derived<T>` (a `Memo<T>`), `Kept<T>` (a
//! `StoredValue<T>`), `effect` and `effect_after`; and `answered`, for a `LocalResource`.
//!
//! Leptos compiles its signal machinery (subscribers, tracking, reads, writes, disposal) once per
//! value type and once more per closure handed to `with` or `update`. In the widget's first
//! module that was about 3.5 KB of code per type before wasm-opt, for twenty-odd types. A `Cell`
//! keeps its value boxed as `dyn Any` in an `RwSignal<Box<dyn Any>>`, and reaches it through one
//! read and one write function that take a `&mut dyn` visitor: the machinery is compiled once, and
//! what stays per type is the cast and the caller's own closure. `Derived` and `Kept` do the same
//! over a `Memo` and a `StoredValue`, and `effect` boxes its closure so that `Effect::new` has one
//! instance.

use std::any::Any;
use std::future::Future;
use std::marker::PhantomData;
use std::sync::Arc;

use leptos::prelude::*;

use crate::calls::{Answer, Give, Run};

type Erased = Box<dyn Any + Send + Sync>;

/// A typed, `Copy` handle over one of Leptos' arena types holding an `Erased` value. (`Clone`
/// and `Copy` by hand: derived, they would ask them of `T`.)
macro_rules! handle {
    ($(#[$doc:meta])* $name:ident over $inner:ty) => {
        $(#[$doc])*
        pub struct $name<T> {
            inner: $inner,
            kind: PhantomData<fn() -> T>,
        }

        impl<T> Clone for $name<T> {
            fn clone(&self) -> Self {
                *self
            }
        }

        impl<T> Copy for $name<T> {}
    };
}

handle!(
    /// A reactive value: reading it in an effect or a view subscribes them, writing it wakes them,
    /// as an `RwSignal<T>` does; it is `Copy`, and lives as long as the owner it was made under.
    Cell over RwSignal<Erased>
);

/// The one instance of the signal's constructor.
fn make(value: Erased) -> RwSignal<Erased> {
    RwSignal::new(value)
}

/// What a read hands the value to. A trait of one method rather than `dyn FnMut`: a closure's
/// vtable carries a `FnOnce` shim that nothing calls, one per instance of `look` and `change`
/// (a hundred-odd in the widget).
trait Reader {
    fn read(&mut self, value: &Erased);
}

/// What a write hands the value to (see `Reader`).
trait Writer {
    fn write(&mut self, value: &mut Erased);
}

/// `f`, called once with the value as a `T`, and what it gave.
struct Once<T, F, U> {
    f: Option<F>,
    out: Option<U>,
    kind: PhantomData<fn(&T)>,
}

impl<T, F, U> Once<T, F, U> {
    fn new(f: F) -> Self {
        Once { f: Some(f), out: None, kind: PhantomData }
    }
}

impl<T: 'static, F: FnOnce(&T) -> U, U> Reader for Once<T, F, U> {
    fn read(&mut self, value: &Erased) {
        self.out = self.f.take().map(|f| f(cast(value)));
    }
}

impl<T: 'static, F: FnOnce(&mut T) -> U, U> Writer for Once<T, F, U> {
    fn write(&mut self, value: &mut Erased) {
        self.out = self.f.take().map(|f| f(cast_mut(value)));
    }
}

/// Hands `f` a `&T` through a read that takes a `&mut dyn Reader` (`None` once disposed).
fn look<T: 'static, U>(read: impl FnOnce(&mut dyn Reader) -> Option<()>, f: impl FnOnce(&T) -> U) -> Option<U> {
    let mut once = Once::new(f);
    read(&mut once)?;
    once.out
}

/// Hands `f` a `&mut T` through a write that takes a `&mut dyn Writer` (`None` once disposed).
fn change<T: 'static, U>(write: impl FnOnce(&mut dyn Writer) -> Option<()>, f: impl FnOnce(&mut T) -> U) -> Option<U> {
    let mut once = Once::new(f);
    write(&mut once)?;
    once.out
}

/// The one instance of its reads: `None` once the signal is disposed.
fn read(signal: RwSignal<Erased>, track: bool, f: &mut dyn Reader) -> Option<()> {
    if track {
        signal.try_with(|v| f.read(v))
    } else {
        signal.try_with_untracked(|v| f.read(v))
    }
}

/// The one instance of its writes: `None` once the signal is disposed.
fn write(signal: RwSignal<Erased>, notify: bool, f: &mut dyn Writer) -> Option<()> {
    if notify {
        signal.try_update(|v| f.write(v))
    } else {
        signal.try_update_untracked(|v| f.write(v))
    }
}

/// The box always holds a `T`: only `Cell::<T>::new` fills it, and writes go through `&mut T`.
fn cast<T: 'static>(value: &Erased) -> &T {
    match value.downcast_ref() {
        Some(v) => v,
        None => mismatched(),
    }
}

fn cast_mut<T: 'static>(value: &mut Erased) -> &mut T {
    match value.downcast_mut() {
        Some(v) => v,
        None => mismatched(),
    }
}

/// Shared by every type's cast, so that each carries a call, not its own panic.
#[cold]
fn mismatched() -> ! {
    unreachable!("a Cell holds its own type")
}

impl<T: Send + Sync + 'static> Cell<T> {
    pub fn new(value: T) -> Self {
        Cell { inner: make(Box::new(value)), kind: PhantomData }
    }

    fn look<U>(&self, track: bool, f: impl FnOnce(&T) -> U) -> Option<U> {
        look(|g| read(self.inner, track, g), f)
    }

    fn change<U>(&self, notify: bool, f: impl FnOnce(&mut T) -> U) -> Option<U> {
        change(|g| write(self.inner, notify, g), f)
    }

    /// Reads the value and subscribes the running effect; `None` once disposed.
    pub fn try_with<U>(&self, f: impl FnOnce(&T) -> U) -> Option<U> {
        self.look(true, f)
    }

    /// Reads the value and subscribes the running effect. Panics once disposed, as a signal does.
    pub fn with<U>(&self, f: impl FnOnce(&T) -> U) -> U {
        alive(self.look(true, f))
    }

    /// Reads the value without subscribing; `None` once disposed.
    pub fn try_with_untracked<U>(&self, f: impl FnOnce(&T) -> U) -> Option<U> {
        self.look(false, f)
    }

    /// Reads the value without subscribing.
    pub fn with_untracked<U>(&self, f: impl FnOnce(&T) -> U) -> U {
        alive(self.look(false, f))
    }

    /// Subscribes the running effect without reading.
    pub fn track(&self) {
        self.inner.track();
    }

    /// Whether its owner is gone (reads panic, writes do nothing).
    pub fn is_disposed(&self) -> bool {
        self.inner.is_disposed()
    }

    /// Changes the value in place and wakes its readers; `None` once disposed.
    pub fn try_update<U>(&self, f: impl FnOnce(&mut T) -> U) -> Option<U> {
        self.change(true, f)
    }

    /// Changes the value in place and wakes its readers; nothing once disposed.
    pub fn update(&self, f: impl FnOnce(&mut T)) {
        self.change(true, f);
    }

    /// Changes the value without waking its readers; nothing once disposed.
    pub fn update_untracked(&self, f: impl FnOnce(&mut T)) {
        self.change(false, f);
    }

    /// Replaces the value and wakes its readers; nothing once disposed.
    pub fn set(&self, value: T) {
        self.change(true, |v| *v = value);
    }

    /// Replaces the value and wakes its readers; whether it was still there to replace.
    pub fn try_set(&self, value: T) -> bool {
        self.change(true, |v| *v = value).is_some()
    }
}

impl<T: Clone + Send + Sync + 'static> Cell<T> {
    /// A copy of the value; subscribes the running effect.
    pub fn get(&self) -> T {
        self.with(T::clone)
    }

    /// A copy of the value, without subscribing.
    pub fn get_untracked(&self) -> T {
        self.with_untracked(T::clone)
    }

    /// A copy of the value, without subscribing; `None` once disposed.
    pub fn try_get_untracked(&self) -> Option<T> {
        self.look(false, T::clone)
    }
}

handle!(
    /// A value kept for callbacks and effects, not tracked: a `StoredValue<T>` whose machinery is
    /// compiled once (see the module's note). It is `Copy`, and lives as long as its owner.
    Kept over StoredValue<Erased>
);

/// The stored value's one constructor, read and write.
fn keep(value: Erased) -> StoredValue<Erased> {
    StoredValue::new(value)
}

fn read_kept(kept: StoredValue<Erased>, f: &mut dyn Reader) -> Option<()> {
    kept.try_with_value(|v| f.read(v))
}

fn write_kept(kept: StoredValue<Erased>, f: &mut dyn Writer) -> Option<()> {
    kept.try_update_value(|v| f.write(v))
}

impl<T: Send + Sync + 'static> Kept<T> {
    pub fn new(value: T) -> Self {
        Kept { inner: keep(Box::new(value)), kind: PhantomData }
    }

    /// Reads the value; `None` once disposed.
    pub fn try_with_value<U>(&self, f: impl FnOnce(&T) -> U) -> Option<U> {
        look(|g| read_kept(self.inner, g), f)
    }

    /// Reads the value. Panics once disposed, as a stored value does.
    pub fn with_value<U>(&self, f: impl FnOnce(&T) -> U) -> U {
        alive(self.try_with_value(f))
    }

    /// Changes the value in place; `None` once disposed.
    pub fn try_update_value<U>(&self, f: impl FnOnce(&mut T) -> U) -> Option<U> {
        change(|g| write_kept(self.inner, g), f)
    }

    /// Changes the value in place; nothing once disposed.
    pub fn update_value(&self, f: impl FnOnce(&mut T)) {
        self.try_update_value(f);
    }

    /// Replaces the value; nothing once disposed.
    pub fn set_value(&self, value: T) {
        self.try_update_value(|v| *v = value);
    }
}

impl<T: Clone + Send + Sync + 'static> Kept<T> {
    /// A copy of the value.
    pub fn get_value(&self) -> T {
        self.with_value(T::clone)
    }

    /// A copy of the value; `None` once disposed.
    pub fn try_get_value(&self) -> Option<T> {
        self.try_with_value(T::clone)
    }
}

/// A callback a component is handed (`on_open`, `on_contact`…): Leptos' `Callback<T>` is a
/// `StoredValue` of its own type for each argument type; this one is a `Kept`, whose machinery is
/// compiled once. `Copy`, and lives as long as its owner.
pub struct Call<T: 'static>(Kept<Arc<dyn Answer<T> + Send + Sync>>);

impl<T> Clone for Call<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Call<T> {}

impl<T> Call<T> {
    pub fn new(f: impl Fn(T) + Send + Sync + 'static) -> Self {
        Call(Kept::new(Arc::new(f)))
    }

    /// Calls it with `arg`; nothing once its owner is gone. The function is taken out first, so
    /// that it may change what holds it.
    pub fn run(&self, arg: T) {
        if let Some(f) = self.0.try_get_value() {
            f.answer(arg)
        }
    }
}

handle!(
    /// A value computed from cells and other derived values, again whenever they change; its readers
    /// wake only when the result differs (a `Memo<T>` whose machinery is compiled once). `Copy`.
    Derived over Memo<Erased>
);

/// The memo's one constructor and read.
fn derive(
    f: Arc<dyn Give<Erased> + Send + Sync>,
    changed: fn(Option<&Erased>, Option<&Erased>) -> bool,
) -> Memo<Erased> {
    Memo::new_with_compare(move |_| f.give(), changed)
}

fn read_derived(memo: Memo<Erased>, track: bool, f: &mut dyn Reader) -> Option<()> {
    if track {
        memo.try_with(|v| f.read(v))
    } else {
        memo.try_with_untracked(|v| f.read(v))
    }
}

/// Whether a recomputed value differs from the last (`None`: there was none yet).
fn differs<T: PartialEq + 'static>(old: Option<&Erased>, new: Option<&Erased>) -> bool {
    old.map(cast::<T>) != new.map(cast::<T>)
}

impl<T: PartialEq + Send + Sync + 'static> Derived<T> {
    pub fn new(f: impl Fn() -> T + Send + Sync + 'static) -> Self {
        Derived { inner: derive(Arc::new(move || Box::new(f()) as Erased), differs::<T>), kind: PhantomData }
    }

    fn look<U>(&self, track: bool, f: impl FnOnce(&T) -> U) -> U {
        alive(look(|g| read_derived(self.inner, track, g), f))
    }

    /// Reads the value and subscribes the running effect. Panics once disposed, as a memo does.
    pub fn with<U>(&self, f: impl FnOnce(&T) -> U) -> U {
        self.look(true, f)
    }

    /// Reads the value without subscribing.
    pub fn with_untracked<U>(&self, f: impl FnOnce(&T) -> U) -> U {
        self.look(false, f)
    }
}

impl<T: Clone + PartialEq + Send + Sync + 'static> Derived<T> {
    /// A copy of the value; subscribes the running effect.
    pub fn get(&self) -> T {
        self.with(T::clone)
    }

    /// A copy of the value, without subscribing.
    pub fn get_untracked(&self) -> T {
        self.with_untracked(T::clone)
    }
}

/// Runs `f` now and again whenever what it read changes, as `Effect::new` does, for as long as
/// the owner it was made under lives.
pub fn effect(f: impl FnMut() + 'static) {
    run(Box::new(f));
}

/// The one instance of `Effect::new`.
fn run(mut f: Box<dyn Run>) {
    Effect::new(move |_| f.run());
}

/// `effect`, for one that hands each run what the last one returned (a timer that dropping
/// cancels, say). The effect keeps it itself, so that `Effect::new` is there once for all.
pub fn effect_after<T: 'static>(mut f: impl FnMut(Option<T>) -> T + 'static) {
    let mut last = None;
    run(Box::new(move || last = Some(f(last.take()))));
}

/// The latest answer of an asynchronous `read`, asked again whenever a value that the closure
/// reads before handing back its future changes (tracked, as in an effect); `None` until the
/// first answer comes, and the one shown stays until the next. An answer is kept only if no
/// newer asking began since, so a late answer to an older question never replaces a newer one.
/// All the two screens that had a `LocalResource` needed of it, without Leptos' async
/// machinery (suspense bookkeeping and tasks, compiled per type: 7 KB gzip of the widget's
/// on-demand modules).
pub fn answered<T, F>(read: impl Fn() -> F + 'static) -> Cell<Option<T>>
where
    T: Send + Sync + 'static,
    F: Future<Output = T> + 'static,
{
    let answer = Cell::new(None);
    let asked = Kept::new(0u32);
    effect(move || {
        let future = read();
        let Some(this) = asked.try_update_value(|n| {
            *n = n.wrapping_add(1);
            *n
        }) else {
            return;
        };
        leptos::task::spawn_local(async move {
            let value = future.await;
            if asked.try_get_value() == Some(this) {
                answer.try_set(Some(value));
            }
        });
    });
    answer
}

/// What a read found; a read of a disposed value panics, as Leptos' own do.
fn alive<U>(found: Option<U>) -> U {
    match found {
        Some(u) => u,
        None => disposed(),
    }
}

/// Shared by every `alive`, so that each type carries a call, not its own panic.
#[cold]
fn disposed() -> ! {
    panic!("a Cell read after its owner was disposed")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_read_and_write_their_own_type() {
        let owner = Owner::new();
        owner.with(|| {
            let count = Cell::new(1u32);
            let name = Cell::new(String::from("a"));
            count.update(|c| *c += 1);
            name.set("b".into());
            assert_eq!(count.get_untracked(), 2);
            assert_eq!(name.with_untracked(|n| n.clone()), "b");
            assert_eq!(count.try_update(|c| std::mem::replace(c, 7)), Some(2));
            assert_eq!(count.try_get_untracked(), Some(7));
            let kept = Kept::new(vec![1, 2]);
            kept.update_value(|v| v.push(3));
            assert_eq!(kept.get_value(), vec![1, 2, 3]);
            assert_eq!(kept.try_with_value(Vec::len), Some(3));
        });
    }

    #[test]
    fn derived_values_follow_their_cells() {
        let owner = Owner::new();
        owner.with(|| {
            let words = Cell::new(vec!["a".to_owned()]);
            let count = Derived::new(move || words.with(Vec::len));
            assert_eq!(count.get_untracked(), 1);
            words.update(|w| w.push("b".into()));
            assert_eq!(count.get_untracked(), 2);
        });
    }

    #[test]
    fn a_call_runs_while_its_owner_lives() {
        let owner = Owner::new();
        let (got, call) = owner.with(|| {
            let got = Cell::new(String::new());
            (got, Call::new(move |s: String| got.update(|g| g.push_str(&s))))
        });
        call.run("a".into());
        call.clone().run("b".into());
        assert_eq!(got.get_untracked(), "ab");
        drop(owner);
        call.run("c".into());
        assert!(got.is_disposed());
    }

    #[test]
    fn a_disposed_cell_is_said_to_be_gone_and_ignores_writes() {
        let owner = Owner::new();
        let cell = owner.with(|| Cell::new(5u8));
        drop(owner);
        assert!(cell.is_disposed());
        assert!(!cell.try_set(6));
        assert_eq!(cell.try_get_untracked(), None);
    }
}
