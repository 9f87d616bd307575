//! The one integration test binary: each module tests the built `buildout` from outside.

mod shards;
mod sketch_error;
