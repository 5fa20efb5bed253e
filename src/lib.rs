//! ikg: Chinese regional-economy texts to an RDF knowledge graph.
//!
//! One module per pipeline stage, in the order the data flows:
//! [`ingest`] → [`normalize`] → [`segment`] → [`recognize`] → [`resolve`] →
//! [`relate`] → [`store`] → [`query`] / [`export`], with [`pipeline`] running the
//! stages, [`mention`] and [`extraction`] holding what the stages hand on,
//! [`resources`] loading the data files they use, [`vocab`] naming the
//! schema's terms and [`eval`] scoring a store against gold files. [`serve`] answers
//! SPARQL over HTTP (and serves a browser page), [`push`] copies the graphs to another
//! store, [`shard`] splits the input files between machines.

pub mod bench;
pub mod draw;
pub mod eval;
pub mod export;
pub mod extraction;
pub mod ingest;
pub mod mention;
pub mod normalize;
pub mod pipeline;
pub mod push;
pub mod query;
pub mod recognize;
pub mod relate;
pub mod resolve;
pub mod resources;
pub mod segment;
pub mod serve;
pub mod shard;
pub mod store;
pub mod store_dir;
pub mod unification;
pub mod vocab;

pub use extraction::DocumentExtraction;
pub use pipeline::{BuildSummary, Pipeline, build};
pub use resources::Resources;
pub use store::KnowledgeStore;
