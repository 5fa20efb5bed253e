//! Query: SPARQL over the store, rendered as a terminal table, CSV, TSV or JSON
//! (the W3C result formats), or Turtle for CONSTRUCT / DESCRIBE.

use crate::store::{KnowledgeStore, StoreError};
use crate::vocab;
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::Term;
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{CancellationToken, QueryResults};
use std::io::Write;
use std::sync::mpsc;
use std::time::Duration;
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
    /// The evaluation ran out of time.
    #[error("query stopped after {seconds} s (--timeout), {rows} rows written")]
    Timeout {
        /// The time limit in seconds.
        seconds: f64,
        /// Rows (or triples) written before it stopped.
        rows: usize,
    },
}

/// Bounds on one query run.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct QueryLimits {
    /// The evaluation is stopped after this long (`None`: never).
    pub timeout: Option<Duration>,
    /// At most this many rows (or triples) are written (`None`: all).
    pub max_rows: Option<usize>,
}

/// What a query run wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QueryOutcome {
    /// Rows (SELECT), triples (CONSTRUCT / DESCRIBE) or 1 / 0 (ASK).
    pub rows: usize,
    /// Whether rows were left out because of [`QueryLimits::max_rows`].
    pub truncated: bool,
}

/// Rows of a table whose widths set the columns; later rows are streamed in them.
const TABLE_SAMPLE_ROWS: usize = 1000;

/// Runs `sparql` and writes its results to `out`. Returns the number of rows (or triples).
pub fn run_query(
    store: &KnowledgeStore,
    sparql: &str,
    format: OutputFormat,
    out: &mut dyn Write,
) -> Result<usize, QueryError> {
    run_query_limited(store, sparql, format, QueryLimits::default(), out).map(|o| o.rows)
}

/// Runs `sparql` within `limits`, writing its results to `out` row by row as
/// they are found (the table format holds its first rows to size the columns).
pub fn run_query_limited(
    store: &KnowledgeStore,
    sparql: &str,
    format: OutputFormat,
    limits: QueryLimits,
    out: &mut dyn Write,
) -> Result<QueryOutcome, QueryError> {
    run(store, sparql, format, limits, out, None)
}

/// Like [`run_query_limited`], then writes oxigraph's explanation of the
/// evaluation to `explanation` as JSON: the plan, with the rows each step gave
/// and the time it took.
pub fn run_query_explained(
    store: &KnowledgeStore,
    sparql: &str,
    format: OutputFormat,
    limits: QueryLimits,
    out: &mut dyn Write,
    explanation: &mut dyn Write,
) -> Result<QueryOutcome, QueryError> {
    run(store, sparql, format, limits, out, Some(explanation))
}

fn run(
    store: &KnowledgeStore,
    sparql: &str,
    format: OutputFormat,
    limits: QueryLimits,
    out: &mut dyn Write,
    explanation: Option<&mut dyn Write>,
) -> Result<QueryOutcome, QueryError> {
    let token = CancellationToken::new();
    let deadline = limits.timeout.map(|t| Deadline::start(t, token.clone()));
    let mut outcome = QueryOutcome::default();
    let stop = |results| stop_when_cancelled(results, token.clone());
    let result = match explanation {
        None => store
            .query_cancellable(sparql, token.clone())
            .map_err(QueryError::from)
            .and_then(|results| {
                write_results(stop(results), format, limits.max_rows, out, &mut outcome)
            }),
        Some(sink) => store
            .query_explained(sparql, token.clone())
            .map_err(QueryError::from)
            .and_then(|(results, plan)| {
                let written = results.map_err(QueryError::from).and_then(|results| {
                    write_results(stop(results), format, limits.max_rows, out, &mut outcome)
                });
                plan.write_in_json(&mut *sink)?;
                writeln!(sink)?;
                written
            }),
    };
    drop(deadline);
    match result {
        Err(e) if is_cancelled(&e) => Err(QueryError::Timeout {
            seconds: limits.timeout.unwrap_or_default().as_secs_f64(),
            rows: outcome.rows,
        }),
        Err(e) => Err(e),
        Ok(()) => Ok(outcome),
    }
}

/// The results, ending with a cancellation error at the next row once `token`
/// is cancelled: oxigraph checks it when it reads the store, and rows a query
/// computes in memory (a cross product) read none.
fn stop_when_cancelled(
    results: QueryResults<'static>,
    token: CancellationToken,
) -> QueryResults<'static> {
    use oxigraph::sparql::{QueryEvaluationError, QuerySolutionIter, QueryTripleIter};
    fn unless<T>(
        token: &CancellationToken,
        item: Result<T, QueryEvaluationError>,
    ) -> Result<T, QueryEvaluationError> {
        if token.is_cancelled() {
            Err(QueryEvaluationError::Cancelled)
        } else {
            item
        }
    }
    match results {
        QueryResults::Solutions(solutions) => QueryResults::Solutions(QuerySolutionIter::new(
            solutions.variables().into(),
            solutions.map(move |item| unless(&token, item)),
        )),
        QueryResults::Graph(triples) => QueryResults::Graph(QueryTripleIter::new(
            triples.map(move |item| unless(&token, item)),
        )),
        boolean => boolean,
    }
}

fn is_cancelled(e: &QueryError) -> bool {
    matches!(
        e,
        QueryError::Store(StoreError::Evaluation(
            oxigraph::sparql::QueryEvaluationError::Cancelled
        ))
    )
}

/// Cancels a query's evaluation after a time, unless dropped first.
struct Deadline {
    stop: Option<mpsc::Sender<()>>,
    timer: Option<std::thread::JoinHandle<()>>,
}

impl Deadline {
    fn start(after: Duration, token: CancellationToken) -> Self {
        let (stop, stopped) = mpsc::channel::<()>();
        let timer = std::thread::spawn(move || {
            if let Err(mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(after) {
                token.cancel();
            }
        });
        Deadline {
            stop: Some(stop),
            timer: Some(timer),
        }
    }
}

impl Drop for Deadline {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(timer) = self.timer.take() {
            let _ = timer.join();
        }
    }
}

fn results_format(format: OutputFormat) -> QueryResultsFormat {
    match format {
        OutputFormat::Csv => QueryResultsFormat::Csv,
        OutputFormat::Tsv => QueryResultsFormat::Tsv,
        _ => QueryResultsFormat::Json,
    }
}

/// Takes the next item unless `max` items were taken; past the limit, notes
/// in `truncated` whether more were left.
fn next_within<T>(
    items: &mut impl Iterator<Item = T>,
    taken: usize,
    max: Option<usize>,
    truncated: &mut bool,
) -> Option<T> {
    if max.is_some_and(|m| taken >= m) {
        *truncated = items.next().is_some();
        return None;
    }
    items.next()
}

fn write_results(
    results: QueryResults<'static>,
    format: OutputFormat,
    max_rows: Option<usize>,
    out: &mut dyn Write,
    outcome: &mut QueryOutcome,
) -> Result<(), QueryError> {
    match results {
        QueryResults::Solutions(mut solutions) => {
            let vars = solutions.variables().to_vec();
            if format == OutputFormat::Table {
                return write_table(&vars, &mut solutions, max_rows, out, outcome);
            }
            let mut ser = QueryResultsSerializer::from_format(results_format(format))
                .serialize_solutions_to_writer(&mut *out, vars)?;
            while let Some(s) = next_within(
                &mut solutions,
                outcome.rows,
                max_rows,
                &mut outcome.truncated,
            ) {
                ser.serialize(&s.map_err(StoreError::from)?)?;
                outcome.rows += 1;
            }
            ser.finish()?;
        }
        QueryResults::Boolean(b) => {
            match format {
                OutputFormat::Table => writeln!(out, "{b}")?,
                _ => {
                    QueryResultsSerializer::from_format(results_format(format))
                        .serialize_boolean_to_writer(&mut *out, b)?;
                }
            }
            outcome.rows = usize::from(b);
        }
        QueryResults::Graph(mut triples) => {
            let mut ser = RdfSerializer::from_format(RdfFormat::Turtle);
            for (p, iri) in vocab::PREFIXES {
                ser = ser
                    .with_prefix(*p, *iri)
                    .map_err(|e| QueryError::Serialize(e.to_string()))?;
            }
            let mut w = ser.for_writer(&mut *out);
            while let Some(t) =
                next_within(&mut triples, outcome.rows, max_rows, &mut outcome.truncated)
            {
                w.serialize_triple(&t.map_err(StoreError::from)?)?;
                outcome.rows += 1;
            }
            w.finish()?;
        }
    }
    Ok(())
}

/// The one-line message for a query that does not parse: "unknown prefix foo:"
/// when it uses an undeclared prefix, else the parser's line and column and
/// what it expected there (or the character it met, when it expected many things).
pub fn syntax_message(sparql: &str, error: &oxigraph::sparql::SparqlSyntaxError) -> String {
    if let Some((prefix, line, column)) = undeclared_prefix(sparql) {
        return format!("query syntax: unknown prefix {prefix}: (line {line}, column {column})");
    }
    let text = error.to_string();
    let Some((position, expected)) = text
        .strip_prefix("error at ")
        .and_then(|rest| rest.split_once(": expected "))
    else {
        return format!("query syntax: {}", text.replace('\n', " "));
    };
    let Some((line, column)) = position
        .split_once(':')
        .and_then(|(l, c)| Some((l.parse::<usize>().ok()?, c.parse::<usize>().ok()?)))
    else {
        return format!("query syntax: {}", text.replace('\n', " "));
    };
    let found = sparql
        .lines()
        .nth(line - 1)
        .and_then(|l| l.chars().nth(column - 1));
    let what = match found {
        _ if expected.chars().count() <= 60 => format!("expected {expected}"),
        Some(c) => format!("unexpected {c:?}"),
        None => "unexpected end of query".to_string(),
    };
    format!("query syntax error at line {line}, column {column}: {what}")
}

/// The first prefixed name whose prefix is neither declared in the query nor
/// predeclared, with its line and column (strings, IRIs and comments are skipped).
fn undeclared_prefix(sparql: &str) -> Option<(String, usize, usize)> {
    let mut declared: Vec<String> = vocab::PREFIXES.iter().map(|(p, _)| p.to_string()).collect();
    let mut used = Vec::new();
    let chars: Vec<char> = sparql.chars().collect();
    let (mut i, mut line, mut column) = (0, 1, 1);
    let mut previous_word = String::new();
    while i < chars.len() {
        let c = chars[i];
        let skip_to = match c {
            '#' => chars[i..].iter().position(|&x| x == '\n').map(|n| i + n),
            '<' if chars
                .get(i + 1)
                .is_some_and(|n| !n.is_whitespace() && *n != '=') =>
            {
                chars[i..]
                    .iter()
                    .position(|&x| x == '>' || x == '\n')
                    .map(|n| i + n + 1)
            }
            '"' | '\'' => {
                let mut j = i + 1;
                while j < chars.len() && chars[j] != c && chars[j] != '\n' {
                    j += if chars[j] == '\\' { 2 } else { 1 };
                }
                Some(j + 1)
            }
            _ if c.is_alphabetic() && (i == 0 || !is_name_char(chars[i - 1])) => {
                let mut j = i;
                while j < chars.len() && is_name_char(chars[j]) {
                    j += 1;
                }
                let word: String = chars[i..j].iter().collect();
                if chars.get(j) == Some(&':') {
                    if previous_word.eq_ignore_ascii_case("prefix") {
                        declared.push(word.clone());
                    } else {
                        used.push((word.clone(), line, column));
                    }
                    j += 1;
                    while j < chars.len() && (is_name_char(chars[j]) || chars[j] == ':') {
                        j += 1;
                    }
                }
                previous_word = word;
                Some(j)
            }
            _ => None,
        };
        let next = skip_to.unwrap_or(i + 1).min(chars.len()).max(i + 1);
        for &x in &chars[i..next] {
            if x == '\n' {
                line += 1;
                column = 1;
            } else {
                column += 1;
            }
        }
        i = next;
    }
    used.into_iter().find(|(p, _, _)| !declared.contains(p))
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-' || c == '.'
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

/// Writes solutions as an aligned table: the first [`TABLE_SAMPLE_ROWS`] rows
/// set the column widths, the rest are streamed in them.
fn write_table(
    vars: &[oxigraph::sparql::Variable],
    solutions: &mut oxigraph::sparql::QuerySolutionIter<'static>,
    max_rows: Option<usize>,
    out: &mut dyn Write,
    outcome: &mut QueryOutcome,
) -> Result<(), QueryError> {
    let cells = |s: oxigraph::sparql::QuerySolution| -> Vec<String> {
        vars.iter()
            .map(|v| s.get(v).map(compact).unwrap_or_default())
            .collect()
    };
    let mut sample = Vec::new();
    while sample.len() < TABLE_SAMPLE_ROWS {
        match next_within(
            &mut *solutions,
            sample.len(),
            max_rows,
            &mut outcome.truncated,
        ) {
            Some(s) => sample.push(cells(s.map_err(StoreError::from)?)),
            None => break,
        }
    }
    let mut widths: Vec<usize> = vars.iter().map(|v| v.as_str().width() + 1).collect();
    for row in &sample {
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
        &vars
            .iter()
            .map(|v| format!("?{}", v.as_str()))
            .collect::<Vec<_>>(),
    )?;
    line(
        out,
        &widths.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>(),
    )?;
    outcome.rows = sample.len();
    for row in sample {
        line(out, &row)?;
    }
    if outcome.rows == TABLE_SAMPLE_ROWS {
        while let Some(s) = next_within(
            &mut *solutions,
            outcome.rows,
            max_rows,
            &mut outcome.truncated,
        ) {
            line(out, &cells(s.map_err(StoreError::from)?))?;
            outcome.rows += 1;
        }
    }
    if outcome.truncated {
        writeln!(
            out,
            "({} rows; more left out by the row limit)",
            outcome.rows
        )?;
    } else {
        writeln!(out, "({} rows)", outcome.rows)?;
    }
    Ok(())
}

/// Has the kernel kill the child `command` starts when the thread that starts it
/// ends ([`run_time_limited`] waits for the child on that thread, so this is
/// when this process ends, killed or not).
#[cfg(target_os = "linux")]
fn end_with_this_process(command: &mut std::process::Command) {
    use std::os::unix::process::CommandExt;
    let parent = std::process::id();
    // SAFETY: between fork and exec the closure calls only async-signal-safe functions
    // (prctl, getppid) and allocates nothing.
    unsafe {
        command.pre_exec(move || {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            // This process may have ended before the request was made.
            if libc::getppid() as u32 != parent {
                return Err(std::io::Error::from_raw_os_error(libc::ESRCH));
            }
            Ok(())
        });
    }
}

/// Elsewhere a child outlives a killed parent until its own end.
#[cfg(not(target_os = "linux"))]
fn end_with_this_process(_command: &mut std::process::Command) {}

/// How a command run by [`run_time_limited`] ended.
#[derive(Debug)]
pub enum Limited {
    /// It ended by itself, with what it wrote (empty unless captured).
    Exited {
        /// Its exit status.
        status: std::process::ExitStatus,
        /// Its standard output.
        stdout: Vec<u8>,
        /// Its standard error.
        stderr: Vec<u8>,
    },
    /// It was still running at the limit, and was killed.
    Killed,
}

/// Runs `command` in a child process and kills it once it has run for `limit`:
/// the hard stop of every query, drawing and update with a time limit. A
/// thread cannot be stopped, and oxigraph notices a cancellation only when it
/// next reads the store, so a query computing in memory (a count over a
/// cartesian product) would run on; a killed process stops at once, and an
/// update killed before it commits leaves the store as it was (it is one
/// transaction). With `input`, its standard input gets those bytes and its
/// standard output and error are captured; without, it shares this process's.
/// The child is killed too when this process ends first (killed itself), so it
/// never computes on alone.
pub fn run_time_limited(
    mut command: std::process::Command,
    input: Option<Vec<u8>>,
    limit: Duration,
) -> std::io::Result<Limited> {
    use std::process::Stdio;
    let captured = input.is_some();
    if captured {
        command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
    } else {
        command.stdin(Stdio::null());
    }
    end_with_this_process(&mut command);
    let mut child = command.spawn()?;
    let started = std::time::Instant::now();
    let writer = input.map(|bytes| {
        let mut stdin = child.stdin.take().expect("piped");
        std::thread::spawn(move || stdin.write_all(&bytes))
    });
    let read_all = |pipe: Option<Box<dyn std::io::Read + Send>>| {
        pipe.map(|mut pipe| {
            std::thread::spawn(move || {
                let mut bytes = Vec::new();
                pipe.read_to_end(&mut bytes).map(|_| bytes)
            })
        })
    };
    let stdout = read_all(child.stdout.take().map(|p| Box::new(p) as _));
    let stderr = read_all(child.stderr.take().map(|p| Box::new(p) as _));
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if started.elapsed() >= limit {
            let _ = child.kill();
            let _ = child.wait();
            return Ok(Limited::Killed);
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    if let Some(writer) = writer {
        let _ = writer.join();
    }
    let collected = |reader: Option<std::thread::JoinHandle<std::io::Result<Vec<u8>>>>| {
        reader
            .and_then(|r| r.join().ok())
            .and_then(Result::ok)
            .unwrap_or_default()
    };
    Ok(Limited::Exited {
        status,
        stdout: collected(stdout),
        stderr: collected(stderr),
    })
}
