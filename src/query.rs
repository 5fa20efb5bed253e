//! Query: SPARQL over the store, rendered as a terminal table, CSV, TSV or JSON
//! (the W3C result formats), or Turtle for CONSTRUCT / DESCRIBE.

use crate::store::{KnowledgeStore, StoreError};
use crate::vocab;
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::Term;
use oxigraph::sparql::QueryResults;
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use std::io::Write;
use unicode_width::UnicodeWidthStr;

/// How to print query results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// Aligned columns with compact names.
    Table,
    /// W3C SPARQL results CSV.
    Csv,
    /// W3C SPARQL results TSV.
    Tsv,
    /// W3C SPARQL results JSON.
    Json,
}

/// A query failure or an output failure.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    /// From the store.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Writing results.
    #[error("writing results: {0}")]
    Io(#[from] std::io::Error),
    /// Serialising results.
    #[error("serialising results: {0}")]
    Serialize(String),
}

/// Runs `sparql` and writes its results to `out`. Returns the number of rows (or triples).
pub fn run_query(
    store: &KnowledgeStore,
    sparql: &str,
    format: OutputFormat,
    out: &mut dyn Write,
) -> Result<usize, QueryError> {
    match store.query(sparql)? {
        QueryResults::Solutions(solutions) => {
            let vars = solutions.variables().to_vec();
            let rows: Vec<Vec<Option<Term>>> = solutions
                .map(|s| s.map(|s| vars.iter().map(|v| s.get(v).cloned()).collect()))
                .collect::<Result<_, _>>()
                .map_err(StoreError::from)?;
            let n = rows.len();
            match format {
                OutputFormat::Table => write_table(
                    &vars
                        .iter()
                        .map(|v| v.as_str().to_string())
                        .collect::<Vec<_>>(),
                    &rows,
                    out,
                )?,
                _ => {
                    let f = match format {
                        OutputFormat::Csv => QueryResultsFormat::Csv,
                        OutputFormat::Tsv => QueryResultsFormat::Tsv,
                        _ => QueryResultsFormat::Json,
                    };
                    let mut ser = QueryResultsSerializer::from_format(f)
                        .serialize_solutions_to_writer(&mut *out, vars.clone())?;
                    for row in rows {
                        ser.serialize(
                            vars.iter()
                                .zip(row.iter())
                                .filter_map(|(v, t)| t.as_ref().map(|t| (v.as_ref(), t.as_ref()))),
                        )?;
                    }
                    ser.finish()?;
                }
            }
            Ok(n)
        }
        QueryResults::Boolean(b) => {
            match format {
                OutputFormat::Table => writeln!(out, "{b}")?,
                _ => {
                    let f = match format {
                        OutputFormat::Csv => QueryResultsFormat::Csv,
                        OutputFormat::Tsv => QueryResultsFormat::Tsv,
                        _ => QueryResultsFormat::Json,
                    };
                    QueryResultsSerializer::from_format(f)
                        .serialize_boolean_to_writer(&mut *out, b)?;
                }
            }
            Ok(usize::from(b))
        }
        QueryResults::Graph(triples) => {
            let mut ser = RdfSerializer::from_format(RdfFormat::Turtle);
            for (p, iri) in vocab::PREFIXES {
                ser = ser
                    .with_prefix(*p, *iri)
                    .map_err(|e| QueryError::Serialize(e.to_string()))?;
            }
            let mut w = ser.for_writer(&mut *out);
            let mut n = 0;
            for t in triples {
                w.serialize_triple(&t.map_err(StoreError::from)?)?;
                n += 1;
            }
            w.finish()?;
            Ok(n)
        }
    }
}

/// A term as a table cell: prefixed name for IRIs, the lexical form for literals.
pub fn compact(term: &Term) -> String {
    match term {
        Term::NamedNode(n) => {
            for (p, iri) in vocab::PREFIXES {
                if let Some(local) = n.as_str().strip_prefix(iri) {
                    return format!("{p}:{local}");
                }
            }
            n.as_str().to_string()
        }
        Term::BlankNode(b) => format!("_:{}", b.as_str()),
        Term::Literal(l) => l.value().to_string(),
        #[allow(unreachable_patterns)]
        other => other.to_string(),
    }
}

fn write_table(
    vars: &[String],
    rows: &[Vec<Option<Term>>],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            r.iter()
                .map(|t| t.as_ref().map(compact).unwrap_or_default())
                .collect()
        })
        .collect();
    let mut widths: Vec<usize> = vars.iter().map(|v| v.width() + 1).collect();
    for row in &cells {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(c.width()).min(60);
        }
    }
    let line = |out: &mut dyn Write, items: &[String]| -> std::io::Result<()> {
        let mut s = String::new();
        for (i, (item, w)) in items.iter().zip(&widths).enumerate() {
            if i > 0 {
                s.push_str("  ");
            }
            s.push_str(item);
            if i + 1 < items.len() {
                s.push_str(&" ".repeat(w.saturating_sub(item.width())));
            }
        }
        writeln!(out, "{}", s.trim_end())
    };
    line(
        out,
        &vars.iter().map(|v| format!("?{v}")).collect::<Vec<_>>(),
    )?;
    line(
        out,
        &widths.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>(),
    )?;
    for row in &cells {
        line(out, row)?;
    }
    writeln!(out, "({} rows)", rows.len())
}
