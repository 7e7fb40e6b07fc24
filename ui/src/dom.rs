//! `El`: an element made by plain calls (its tag, attributes, text, children, listeners and
//! reactive parts one call each), handed to Leptos as a [`Fresh`].
//!
//! Why: Leptos' `view!` gives every element a type made of its attributes and children, and
//! compiles building, mounting, unmounting and dropping for each such type; a screen's nested
//! tuples are kilobytes of code for markup that a few calls with string arguments build as well.
//! `El`'s calls are compiled once for every screen: what remains per use is the call and its
//! strings, and per reactive part its closure. Reactive parts are Leptos' own render effects
//! (run at once, again when what they read changes), kept with the element, so they stop when
//! its view is dropped — as a `view!`'s do. A part whose nodes must be patched in place (a list
//! that refreshes while a selection may be in it) is given as a Leptos view with [`El::view`].

use std::any::Any;

use leptos::prelude::*;
use leptos::tachys::renderer::types::{Element, Node};
use leptos::tachys::renderer::Rndr;
use leptos::tachys::view::{Mountable, Render};
use leptos::wasm_bindgen::{JsCast, JsValue};
use send_wrapper::SendWrapper;
use tabdesk_core::url::{linkify, Piece};

use crate::calls::{Give, Run, Take};
use crate::fresh::{Fresh, FreshState};

/// An element being built, with what must live as long as it does.
pub struct El {
    el: Element,
    kept: Vec<Box<dyn Any>>,
}

/// A new `tag` element.
#[inline(never)]
pub fn el(tag: &str) -> El {
    El { el: Rndr::create_element(tag, None), kept: Vec::new() }
}

/// A `<button type="button">` of `class` saying `text`, calling `on_click` when pressed.
pub fn button(class: &str, text: &str, mut on_click: impl FnMut() + 'static) -> El {
    el("button").class(class).attr("type", "button").on("click", move |_| on_click()).text(text)
}

impl El {
    /// The element itself (to focus it once it is in the page, say).
    pub fn element(&self) -> Element {
        self.el.clone()
    }

    /// Sets the element's content to `html`, parsed as markup: only for HTML the server
    /// sanitized (a published article's body), never for anything a person typed.
    pub fn html(self, html: &str) -> Self {
        Rndr::set_inner_html(&self.el, html);
        self
    }

    /// Sets attribute `name` to `value`.
    #[inline(never)]
    pub fn attr(self, name: &str, value: &str) -> Self {
        Rndr::set_attribute(&self.el, name, value);
        self
    }

    /// Attribute `name` present (empty) if `on`, absent otherwise.
    pub fn flag(self, name: &str, on: bool) -> Self {
        match on {
            true => self.attr(name, ""),
            false => self,
        }
    }

    /// Sets the `class` attribute.
    pub fn class(self, value: &str) -> Self {
        self.attr("class", value)
    }

    /// Appends `text` as a text node (never markup).
    #[inline(never)]
    pub fn text(self, text: &str) -> Self {
        let node = Rndr::create_text_node(text);
        Rndr::insert_node(&self.el, &node, None);
        self
    }

    /// Appends `text` with its web addresses as links (core's `linkify`), opened in a new tab
    /// without a referrer; everything else as text, so nothing a person wrote becomes markup.
    /// (`linked` does the same as a Leptos view, for views patched in place.)
    pub fn linked(self, text: &str) -> Self {
        linkify(text).into_iter().fold(self, |to, piece| match piece {
            Piece::Text(text) => to.text(text),
            Piece::Link(url) => {
                let link = el("a").attr("href", url).attr("target", "_blank").attr("rel", "noopener noreferrer");
                to.child(link.text(url))
            }
        })
    }

    /// Appends `child`.
    #[inline(never)]
    pub fn child(mut self, mut child: El) -> Self {
        Rndr::insert_node(&self.el, &child.el, None);
        self.kept.append(&mut child.kept);
        self
    }

    /// Appends a Leptos view (a reactive closure, a `Fresh`, an `Option`…), built now.
    pub fn view<V: Render>(mut self, view: V) -> Self
    where
        V::State: 'static,
    {
        let mut state = view.build();
        state.mount(&self.el, None);
        self.kept.push(Box::new(state));
        self
    }

    /// Appends `part`, if there is one (a view built once: a part only some sites show).
    pub fn maybe(self, part: Option<Fresh>) -> Self {
        match part {
            Some(part) => self.view(part),
            None => self,
        }
    }

    /// Appends the view `part` gives, built anew whenever what it reads changes. Every such
    /// part goes through one closure type, so Leptos' render effect for a reactive view (its
    /// build, its rebuild and its state) is compiled once, not once per closure as `view`'s is.
    pub fn part(self, part: impl Fn() -> Fresh + Send + 'static) -> Self {
        self.part_boxed(Box::new(part))
    }

    /// `part`'s one instance.
    #[inline(never)]
    fn part_boxed(self, part: Box<dyn Give<Fresh> + Send>) -> Self {
        self.view(move || part.give())
    }

    /// Appends a text node that `text` writes, again whenever what it reads changes.
    pub fn text_with<S: AsRef<str>>(self, text: impl Fn() -> S + 'static) -> Self {
        let node = Rndr::create_text_node("");
        Rndr::insert_node(&self.el, &node, None);
        self.kept_effect(move || Rndr::set_text(&node, text().as_ref()))
    }

    /// Attribute `name` set to what `value` gives, again whenever what it reads changes.
    pub fn attr_with<S: AsRef<str>>(self, name: &'static str, value: impl Fn() -> S + 'static) -> Self {
        let el = self.el.clone();
        self.kept_effect(move || Rndr::set_attribute(&el, name, value().as_ref()))
    }

    /// Attribute `name` present (empty) while `on` holds, absent otherwise.
    pub fn flag_with(self, name: &'static str, on: impl Fn() -> bool + 'static) -> Self {
        let el = self.el.clone();
        self.kept_effect(move || match on() {
            true => Rndr::set_attribute(&el, name, ""),
            false => Rndr::remove_attribute(&el, name),
        })
    }

    /// Property `name` (`value` of a field, say) set to what `value` gives, again whenever what
    /// it reads changes.
    pub fn prop_with(self, name: &'static str, value: impl Fn() -> JsValue + 'static) -> Self {
        let el = self.el.clone();
        self.kept_effect(move || Rndr::set_property(&el, name, &value()))
    }

    /// Calls `handler` on each `event` the element gets.
    pub fn on(self, event: &str, handler: impl FnMut(web_sys::Event) + 'static) -> Self {
        self.listen(event, Box::new(handler))
    }

    /// `on`'s one instance: what stays per handler is its box.
    #[inline(never)]
    fn listen(mut self, event: &str, mut handler: Box<dyn Take<web_sys::Event>>) -> Self {
        let handler = move |event: JsValue| handler.take(event.unchecked_into());
        let remove = Rndr::add_event_listener(&self.el, event, Box::new(handler));
        self.kept.push(Box::new(remove));
        self
    }

    /// Runs `effect` now and whenever what it reads changes, for as long as the element lives.
    fn kept_effect(self, effect: impl FnMut() + 'static) -> Self {
        self.keep_effect(Box::new(effect))
    }

    /// `kept_effect`'s one instance: what stays per effect is its box.
    #[inline(never)]
    fn keep_effect(mut self, mut effect: Box<dyn Run>) -> Self {
        self.kept.push(Box::new(RenderEffect::new(move |_| effect.run())));
        self
    }
}

/// The element, with what it keeps, as a view.
impl From<El> for Fresh {
    fn from(el: El) -> Fresh {
        let el = SendWrapper::new(el);
        Fresh::new(move || FreshState::new(Box::new(Built(el.take()))))
    }
}

/// An element in the page, with its listeners, effects and views.
struct Built(El);

impl Mountable for Built {
    fn unmount(&mut self) {
        self.0.el.unmount();
    }

    fn mount(&mut self, parent: &Element, marker: Option<&Node>) {
        self.0.el.mount(parent, marker);
    }

    fn insert_before_this(&self, child: &mut dyn Mountable) -> bool {
        self.0.el.insert_before_this(child)
    }

    fn elements(&self) -> Vec<Element> {
        vec![self.0.el.clone()]
    }
}
