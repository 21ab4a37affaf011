//! Lesson: what an object costs (article 7.6 and 7.7). A Python object's
//! `__dict__` against structs and columns; descriptors against types that
//! are checked once; `LazyProperty` and the singleton metaclass against
//! `OnceLock`; a metaclass registry against an `enum` and a trait.
#![deny(missing_docs)]

pub use objects_api as api;

pub mod dispatch;
pub mod layout;
pub mod lazy;
pub mod validate;

pub use dispatch::{enum_match, registry_lookup, trait_object};
pub use layout::{boxed_structs, columns, compact_structs, dict_objects, structs};
pub use lazy::{dict_cache, mutex_option, mutex_registry, once_lock, once_lock_static, recompute};
pub use validate::{descriptor, newtype};
