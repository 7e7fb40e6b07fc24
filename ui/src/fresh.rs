//! `Fresh`: a view of any type, as Leptos' `AnyView` is, that is built anew (and its old nodes
//! taken out) when the closure that gave it runs again, where `AnyView` patches the old nodes
//! in place when the type is the same.
//!
//! Why: patching in place needs each view type's `rebuild`, the same size as its `build`, and
//! `into_any` compiles it for every type it erases whether it ever runs or not (the types are
//! erased mostly to let `match` arms differ, and most are never rebuilt). In the widget that was
//! several KB of the first module and more of the form's. What a `Fresh` costs per type is its
//! `build` and its nodes' mount and unmount, which any view has. What it gives up: a branch
//! shown again with other data is new nodes, not the old ones changed — so a reactive closure
//! must not give a `Fresh` if it re-runs while its nodes hold what the user is doing: typing in
//! a field, focus, a selection in text that refreshes on a timer (the console's messages and
//! their links through `linked` stay typed or `AnyView` for that; the widget's refreshing lists
//! are `Fresh` rows from a memo, so that they re-run only when what they show changed).

use leptos::tachys::html::attribute::any_attribute::AnyAttribute;
use leptos::tachys::html::attribute::Attribute;
use leptos::tachys::hydration::Cursor;
use leptos::tachys::renderer::types::{Element, Node, Placeholder};
use leptos::tachys::renderer::Rndr;
use leptos::tachys::view::add_attr::AddAnyAttr;
use leptos::tachys::view::{Mountable, Position, PositionState, Render, RenderHtml};

type Build = Box<dyn FnOnce() -> FreshState + Send>;

/// A view whose type is erased (see the module's doc).
pub struct Fresh(Build);

/// What a [`Fresh`] put in the page: its view's state, and a marker where it put nothing (so a
/// later view knows where to go).
pub struct FreshState {
    state: Box<dyn Mountable>,
    placeholder: Option<Placeholder>,
}

/// `view`, type-erased.
pub fn fresh<V>(view: V) -> Fresh
where
    V: RenderHtml + Send + 'static,
    V::State: 'static,
{
    Fresh(Box::new(move || FreshState {
        state: Box::new(view.build()),
        placeholder: (!V::EXISTS).then(Rndr::create_placeholder),
    }))
}

impl Fresh {
    /// The view that `build` puts in the page.
    pub(crate) fn new(build: impl FnOnce() -> FreshState + Send + 'static) -> Fresh {
        Fresh(Box::new(build))
    }
}

impl FreshState {
    /// What is in the page: `state`, which always puts a node there.
    pub(crate) fn new(state: Box<dyn Mountable>) -> FreshState {
        FreshState { state, placeholder: None }
    }
}

impl Render for Fresh {
    type State = FreshState;

    fn build(self) -> FreshState {
        (self.0)()
    }

    fn rebuild(self, state: &mut FreshState) {
        let mut new = self.build();
        match &mut state.placeholder {
            Some(placeholder) => {
                placeholder.insert_before_this(&mut new);
            }
            None => {
                state.insert_before_this(&mut new);
            }
        }
        state.unmount();
        *state = new;
    }
}

impl Mountable for FreshState {
    fn unmount(&mut self) {
        self.state.unmount();
        if let Some(placeholder) = &mut self.placeholder {
            placeholder.unmount();
        }
    }

    fn mount(&mut self, parent: &Element, marker: Option<&Node>) {
        self.state.mount(parent, marker);
        if let Some(placeholder) = &mut self.placeholder {
            placeholder.mount(parent, marker);
        }
    }

    fn insert_before_this(&self, child: &mut dyn Mountable) -> bool {
        self.state.insert_before_this(child) || self.placeholder.as_ref().is_some_and(|p| p.insert_before_this(child))
    }

    fn elements(&self) -> Vec<Element> {
        self.state.elements()
    }
}

/// Attributes spread onto a `Fresh` are dropped: nothing here spreads any.
impl AddAnyAttr for Fresh {
    type Output<SomeNewAttr: Attribute> = Fresh;

    fn add_any_attr<NewAttr: Attribute>(self, _attr: NewAttr) -> Fresh {
        self
    }
}

/// Only what a browser-rendered app needs: no HTML is ever written on a server, and nothing is
/// hydrated (were it, the view is built instead).
impl RenderHtml for Fresh {
    type AsyncOutput = Fresh;
    type Owned = Fresh;

    const MIN_LENGTH: usize = 0;

    fn dry_resolve(&mut self) {}

    async fn resolve(self) -> Fresh {
        self
    }

    fn to_html_with_buf(
        self,
        _buf: &mut String,
        _position: &mut Position,
        _escape: bool,
        _mark_branches: bool,
        _extra_attrs: Vec<AnyAttribute>,
    ) {
    }

    fn hydrate<const FROM_SERVER: bool>(self, _cursor: &Cursor, _position: &PositionState) -> FreshState {
        self.build()
    }

    fn into_owned(self) -> Fresh {
        self
    }
}
