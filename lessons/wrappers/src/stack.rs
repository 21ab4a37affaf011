//! Question 1: what does a layer of wrapping cost per call?
//!
//! The article's decorators all share one skeleton:
//!
//! ```python
//! def decorator(func):
//!     @functools.wraps(func)
//!     def wrapper(*args, **kwargs):
//!         return func(*args, **kwargs)
//!     return wrapper
//! ```
//!
//! Each variant here stacks `layers` of that skeleton, and nothing else,
//! around [`scale`], and makes [`CALLS`] calls through the stack. What a
//! layer does besides wrapping (logging, timing, retrying) costs what it
//! costs in any language; this question measures the wrapping.

use std::collections::HashMap;
use std::convert::Infallible;
use std::future::{Ready, ready};
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use tower::{Layer, Service, ServiceBuilder};

/// Calls through the stack per measured step.
pub const CALLS: u64 = 1_000;

/// The most layers a stack is built with.
pub const MAX_LAYERS: u64 = 8;

// ANCHOR: scale
/// The wrapped function: trivial, and never inlined, so every variant
/// makes the same real call at the bottom of its stack.
#[inline(never)]
pub fn scale(replicas: u64) -> u64 {
    replicas.wrapping_mul(2).wrapping_add(1)
}
// ANCHOR_END: scale

/// A Python value, as far as these calls need one.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// An `int`.
    Int(u64),
    /// A `str`: shared, as Python shares a string between dicts.
    Str(Rc<str>),
}

/// Python's `**kwargs`: a dict from names to values. Keys are shared
/// strings and hashed with a fixed, fast hasher, as CPython caches a
/// string's hash: the baseline pays for the dict, not for SipHash.
pub type Kwargs = HashMap<Rc<str>, Value, foldhash::fast::FixedState>;

/// What a call raises.
#[derive(Clone, Debug, PartialEq)]
pub struct PyError(pub String);

/// A Python function: positional arguments and a fresh `**kwargs` dict in,
/// a value or an exception out.
pub type PyFn = Rc<dyn Fn(&[Value], Kwargs) -> Result<Value, PyError>>;

// ANCHOR: boxed_kwargs
/// The article's skeleton, literally: the wrapper takes `*args,
/// **kwargs` and calls `func(*args, **kwargs)`, which hands the callee a
/// new dict, as CPython does at every layer.
pub fn decorator(func: PyFn) -> PyFn {
    Rc::new(move |args: &[Value], kwargs: Kwargs| func(args, kwargs.clone()))
}

/// `scale` as Python calls it: its argument looked up by name.
pub fn py_scale() -> PyFn {
    Rc::new(
        |_args: &[Value], kwargs: Kwargs| match kwargs.get("replicas") {
            Some(Value::Int(replicas)) => Ok(Value::Int(scale(*replicas))),
            _ => Err(PyError(
                "scale() missing 1 required argument: 'replicas'".into(),
            )),
        },
    )
}
// ANCHOR_END: boxed_kwargs

/// The baseline's stack of `layers`, and the interned name of its
/// argument.
pub struct BoxedKwargs {
    func: PyFn,
    replicas: Rc<str>,
}

/// The baseline: `layers` decorators around [`py_scale`], ready to call.
pub fn boxed_kwargs(layers: u64) -> BoxedKwargs {
    let func = (0..layers).fold(py_scale(), |f, _| decorator(f));
    BoxedKwargs {
        func,
        replicas: Rc::from("replicas"),
    }
}

impl BoxedKwargs {
    /// [`CALLS`] calls `func(replicas=i)`; the sum of the results.
    pub fn run(&self) -> Result<u64, PyError> {
        let mut total = 0u64;
        for i in 0..CALLS {
            let mut kwargs = Kwargs::with_hasher(foldhash::fast::FixedState::default());
            kwargs.insert(self.replicas.clone(), Value::Int(std::hint::black_box(i)));
            match (self.func)(&[], kwargs)? {
                Value::Int(n) => total = total.wrapping_add(n),
                other => return Err(PyError(format!("scale returned {other:?}"))),
            }
        }
        Ok(total)
    }
}

// ANCHOR: dyn_layers
/// Typed arguments, but each layer a boxed closure: one indirect call per
/// layer, which the compiler cannot see through.
pub fn dyn_layers(layers: u64) -> Box<dyn Fn(u64) -> u64> {
    (0..layers).fold(Box::new(scale), |f: Box<dyn Fn(u64) -> u64>, _| {
        // The closure is the layer: passing `f` itself would add none.
        #[allow(clippy::redundant_closure)]
        Box::new(move |replicas| f(replicas))
    })
}
// ANCHOR_END: dyn_layers

// ANCHOR: generic
/// A function of one `u64`, however it is built.
pub trait Call {
    /// Call it.
    fn call(&self, replicas: u64) -> u64;
}

/// The bottom of every generic stack: [`scale`] itself.
pub struct Scale;

impl Call for Scale {
    #[inline]
    fn call(&self, replicas: u64) -> u64 {
        scale(replicas)
    }
}

/// The skeleton as a generic type: a layer knows the exact type of what
/// it wraps, so the compiler inlines it away.
pub struct Wrapper<F>(pub F);

impl<F: Call> Call for Wrapper<F> {
    #[inline]
    fn call(&self, replicas: u64) -> u64 {
        self.0.call(replicas)
    }
}
// ANCHOR_END: generic

/// [`CALLS`] calls through `f`; the sum of the results.
#[inline(never)]
pub fn calls(f: &impl Call) -> u64 {
    (0..CALLS).fold(0u64, |total, i| {
        total.wrapping_add(f.call(std::hint::black_box(i)))
    })
}

/// [`CALLS`] calls through the boxed stack.
#[inline(never)]
pub fn dyn_calls(f: &dyn Fn(u64) -> u64) -> u64 {
    (0..CALLS).fold(0u64, |total, i| {
        total.wrapping_add(f(std::hint::black_box(i)))
    })
}

/// Each depth of the generic stack is its own type, chosen at compile
/// time: this picks the one for `layers` (0 to [`MAX_LAYERS`]) and makes
/// [`CALLS`] calls through it.
pub fn generic(layers: u64) -> Option<u64> {
    macro_rules! depth {
        ($($n:literal => $stack:expr),*) => {
            match layers { $($n => Some(calls(&$stack)),)* _ => None }
        };
    }
    use Wrapper as W;
    depth!(
        0 => Scale,
        1 => W(Scale),
        2 => W(W(Scale)),
        3 => W(W(W(Scale))),
        4 => W(W(W(W(Scale)))),
        5 => W(W(W(W(W(Scale))))),
        6 => W(W(W(W(W(W(Scale)))))),
        7 => W(W(W(W(W(W(W(Scale))))))),
        8 => W(W(W(W(W(W(W(W(Scale))))))))
    )
}

// ANCHOR: tower
/// The bottom of a tower stack: [`scale`] as a `Service`.
#[derive(Clone, Copy)]
pub struct ScaleService;

impl Service<u64> for ScaleService {
    type Response = u64;
    type Error = Infallible;
    type Future = Ready<Result<u64, Infallible>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, replicas: u64) -> Self::Future {
        ready(Ok(scale(replicas)))
    }
}

/// The skeleton as a tower `Layer`: its service passes each request on.
#[derive(Clone, Copy)]
pub struct PassLayer;

/// What [`PassLayer`] wraps a service in.
#[derive(Clone, Copy)]
pub struct Pass<S>(S);

impl<S> Layer<S> for PassLayer {
    type Service = Pass<S>;
    fn layer(&self, inner: S) -> Pass<S> {
        Pass(inner)
    }
}

impl<S: Service<u64>> Service<u64> for Pass<S> {
    type Response = S::Response;
    type Error = S::Error;
    type Future = S::Future;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.0.poll_ready(cx)
    }

    fn call(&mut self, request: u64) -> S::Future {
        self.0.call(request)
    }
}
// ANCHOR_END: tower

/// [`CALLS`] requests through a tower service, each polled to its answer
/// (every future here is ready at once).
#[inline(never)]
pub fn tower_calls<S>(service: &mut S) -> u64
where
    S: Service<u64, Response = u64, Error = Infallible>,
{
    let mut cx = Context::from_waker(Waker::noop());
    let mut total = 0u64;
    for i in 0..CALLS {
        if service.poll_ready(&mut cx).is_pending() {
            unreachable!("every service in the stack is always ready");
        }
        let mut future = std::pin::pin!(service.call(std::hint::black_box(i)));
        match std::future::Future::poll(future.as_mut(), &mut cx) {
            Poll::Ready(Ok(n)) => total = total.wrapping_add(n),
            Poll::Pending => unreachable!("every future in the stack is ready at once"),
        }
    }
    total
}

/// `layers` of [`PassLayer`] around [`ScaleService`], built with
/// `ServiceBuilder`, and [`CALLS`] requests through them.
pub fn tower(layers: u64) -> Option<u64> {
    macro_rules! depth {
        ($($n:literal => $builder:expr),*) => {
            match layers { $($n => Some(tower_calls(&mut $builder.service(ScaleService))),)* _ => None }
        };
    }
    let b = ServiceBuilder::new();
    let l = PassLayer;
    depth!(
        0 => b,
        1 => b.layer(l),
        2 => b.layer(l).layer(l),
        3 => b.layer(l).layer(l).layer(l),
        4 => b.layer(l).layer(l).layer(l).layer(l),
        5 => b.layer(l).layer(l).layer(l).layer(l).layer(l),
        6 => b.layer(l).layer(l).layer(l).layer(l).layer(l).layer(l),
        7 => b.layer(l).layer(l).layer(l).layer(l).layer(l).layer(l).layer(l),
        8 => b.layer(l).layer(l).layer(l).layer(l).layer(l).layer(l).layer(l).layer(l)
    )
}

/// The answer every variant must give: the sum of `scale(i)` over the
/// calls.
pub fn expected() -> u64 {
    (0..CALLS).fold(0u64, |total, i| total.wrapping_add(scale(i)))
}
