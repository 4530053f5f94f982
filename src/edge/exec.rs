//! Runs the fetch handler's future. wasm-bindgen-futures (`future_to_promise`)
//! schedules every poll with `queueMicrotask`: once when the request starts and
//! again after each awaited Promise settles, which the profile of a KV read
//! showed as the largest cost after the read itself. Here the future is polled
//! at once, and again directly from the waker (which the awaited Promise's
//! callback calls, already in a microtask of its own). A future that finishes
//! without waiting answers synchronously; otherwise the caller gets a Promise
//! that the last poll resolves.

#[cfg(target_feature = "atomics")]
compile_error!("exec.rs assumes a single-threaded wasm (its wakers hold an Rc)");

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, RawWaker, RawWakerVTable, Waker};
use wasm_bindgen::JsValue;
use worker::js_sys;

struct Task {
    future: RefCell<Option<Pin<Box<dyn Future<Output = JsValue>>>>>,
    /// The Promise's resolve function, once a poll has returned `Pending`.
    resolve: RefCell<Option<js_sys::Function>>,
    polling: Cell<bool>,
    /// Woken while being polled: poll again before returning.
    woken: Cell<bool>,
}

/// Runs `future`: its value if it completes without waiting, else a Promise
/// of it.
pub fn run(future: impl Future<Output = JsValue> + 'static) -> JsValue {
    let task = Rc::new(Task {
        future: RefCell::new(Some(Box::pin(future))),
        resolve: RefCell::new(None),
        polling: Cell::new(false),
        woken: Cell::new(false),
    });
    if let Some(value) = poll(&task) {
        return value;
    }
    // Wakes come from Promise callbacks, never before this returns, so the
    // resolve function is in place before the task can complete.
    js_sys::Promise::new(&mut |resolve, _reject| {
        *task.resolve.borrow_mut() = Some(resolve);
    })
    .into()
}

/// Polls until the future is pending without a wake in between; its value
/// if it completed.
fn poll(task: &Rc<Task>) -> Option<JsValue> {
    if task.polling.replace(true) {
        task.woken.set(true);
        return None;
    }
    let waker = waker(task.clone());
    let mut cx = Context::from_waker(&waker);
    let result = loop {
        task.woken.set(false);
        let mut slot = task.future.borrow_mut();
        let Some(future) = slot.as_mut() else {
            break None;
        };
        match future.as_mut().poll(&mut cx) {
            Poll::Ready(value) => {
                *slot = None;
                break Some(value);
            }
            Poll::Pending if task.woken.get() => continue,
            Poll::Pending => break None,
        }
    };
    task.polling.set(false);
    result
}

fn wake(task: &Rc<Task>) {
    if let Some(value) = poll(task) {
        let resolve = task.resolve.borrow_mut().take();
        if let Some(resolve) = resolve {
            let _ = resolve.call1(&JsValue::UNDEFINED, &value);
        }
    }
}

// A Waker holding an `Rc<Task>` (the Worker is single-threaded).
const VTABLE: RawWakerVTable = RawWakerVTable::new(clone_raw, wake_raw, wake_by_ref_raw, drop_raw);

fn waker(task: Rc<Task>) -> Waker {
    let raw = RawWaker::new(Rc::into_raw(task) as *const (), &VTABLE);
    // SAFETY: the vtable below treats the pointer as an Rc<Task> it owns.
    unsafe { Waker::from_raw(raw) }
}

unsafe fn clone_raw(ptr: *const ()) -> RawWaker {
    // SAFETY: ptr came from Rc::into_raw and the Rc is still alive.
    unsafe { Rc::increment_strong_count(ptr as *const Task) };
    RawWaker::new(ptr, &VTABLE)
}

unsafe fn wake_raw(ptr: *const ()) {
    // SAFETY: takes back the reference this waker owned.
    let task = unsafe { Rc::from_raw(ptr as *const Task) };
    wake(&task);
}

unsafe fn wake_by_ref_raw(ptr: *const ()) {
    // SAFETY: borrows the waker's reference without taking it.
    let task = std::mem::ManuallyDrop::new(unsafe { Rc::from_raw(ptr as *const Task) });
    wake(&task);
}

unsafe fn drop_raw(ptr: *const ()) {
    // SAFETY: gives back the reference this waker owned.
    drop(unsafe { Rc::from_raw(ptr as *const Task) });
}

// ---- awaiting a Promise ----
//
// `wasm_bindgen_futures::JsFuture` makes two closures (resolve, reject) for
// every Promise it awaits. For the hot reads (`store.rs`), `settled` uses one
// callback made once per isolate and a slot number instead.

#[wasm_bindgen::prelude::wasm_bindgen(inline_js = "
export function settle_with(promise, id, settle) {
  promise
    .then((value) => settle(id, true, value), (error) => settle(id, false, error))
    .catch((error) => {
      // A trap (a panic) in the code this resumed: have the next event
      // re-instantiate the wasm (src/entry.mjs), as for any other trap.
      if (error instanceof WebAssembly.RuntimeError && globalThis.__worker_init_state) {
        globalThis.__worker_init_state.criticalError = true;
      }
      throw error;
    });
}")]
extern "C" {
    fn settle_with(
        promise: &js_sys::Promise,
        id: u32,
        settle: &wasm_bindgen::closure::Closure<dyn FnMut(u32, bool, JsValue)>,
    );
}

#[derive(Default)]
struct Slot {
    result: Option<Result<JsValue, JsValue>>,
    waker: Option<Waker>,
    /// The awaiting future was dropped: free the slot when it settles.
    abandoned: bool,
}

thread_local! {
    static SLOTS: RefCell<Vec<Option<Slot>>> = const { RefCell::new(Vec::new()) };
    static SETTLE: wasm_bindgen::closure::Closure<dyn FnMut(u32, bool, JsValue)> =
        wasm_bindgen::closure::Closure::new(settle);
}

fn settle(id: u32, ok: bool, value: JsValue) {
    let waker = SLOTS.with(|slots| {
        let mut slots = slots.borrow_mut();
        let entry = slots.get_mut(id as usize)?;
        let slot = entry.as_mut()?;
        if slot.abandoned {
            *entry = None;
            return None;
        }
        slot.result = Some(if ok { Ok(value) } else { Err(value) });
        slot.waker.take()
    });
    // Outside the borrow: waking polls the task, which polls this slot.
    if let Some(waker) = waker {
        waker.wake();
    }
}

/// The outcome of `promise`, as a future.
pub struct Settled {
    id: u32,
    done: bool,
}

pub fn settled(promise: &js_sys::Promise) -> Settled {
    let id = SLOTS.with(|slots| {
        let mut slots = slots.borrow_mut();
        let id = match slots.iter().position(Option::is_none) {
            Some(free) => free,
            None => {
                slots.push(None);
                slots.len() - 1
            }
        };
        slots[id] = Some(Slot::default());
        id as u32
    });
    SETTLE.with(|settle| settle_with(promise, id, settle));
    Settled { id, done: false }
}

impl Future for Settled {
    type Output = Result<JsValue, JsValue>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let id = self.id as usize;
        let result = SLOTS.with(|slots| {
            let mut slots = slots.borrow_mut();
            let entry = &mut slots[id];
            match entry.as_mut().and_then(|slot| slot.result.take()) {
                Some(result) => {
                    *entry = None;
                    Some(result)
                }
                None => {
                    if let Some(slot) = entry.as_mut() {
                        slot.waker = Some(cx.waker().clone());
                    }
                    None
                }
            }
        });
        match result {
            Some(result) => {
                self.done = true;
                Poll::Ready(result)
            }
            None => Poll::Pending,
        }
    }
}

impl Drop for Settled {
    fn drop(&mut self) {
        if self.done {
            return;
        }
        // Settled already: free the slot now; else when it settles. The
        // waker is dropped after the borrow ends.
        let _waker = SLOTS.with(|slots| {
            let mut slots = slots.borrow_mut();
            let entry = slots.get_mut(self.id as usize)?;
            let slot = entry.as_mut()?;
            if slot.result.is_some() {
                entry.take().and_then(|slot| slot.waker)
            } else {
                slot.abandoned = true;
                slot.waker.take()
            }
        });
    }
}
