//! A wrapped future or stream is polled only on the thread that made it.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;

use crate::SendWrapper;

impl<F: Future> Future for SendWrapper<F> {
    type Output = F::Output;

    #[track_caller]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        self.at_home("polled");
        // SAFETY: the wrapper is pinned, and it owns the future in place (never moved out while
        // pinned: `take` consumes an unpinned wrapper), so the future is pinned too.
        unsafe { self.map_unchecked_mut(|w| &mut *w.value) }.poll(cx)
    }
}

impl<S: Stream> Stream for SendWrapper<S> {
    type Item = S::Item;

    #[track_caller]
    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<S::Item>> {
        self.at_home("polled");
        // SAFETY: as for `Future::poll` above.
        unsafe { self.map_unchecked_mut(|w| &mut *w.value) }.poll_next(cx)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.value.size_hint()
    }
}
