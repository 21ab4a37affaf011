//! Lesson: context managers as RAII (article 7.2), on a real SQLite
//! database. One commit per row against one transaction; a connection
//! per request against a pool; and what `Drop` guarantees, proved by the
//! tests in `lessons/resources/tests/`.
#![deny(missing_docs)]

pub use resources_api as api;

pub mod connections;
pub mod guards;
pub mod insert;

pub use connections::{article_pool, connect_per_request, per_thread, r2d2_pool};
pub use insert::{
    append_fsync, autocommit, multi_row, prepare_cached, transaction, wal_full, wal_normal,
};
