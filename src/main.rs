//! The `ikg` command line: a thin layer over the `ikg` library.

use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand};
use ikg::export::{KgGraph, Lang, RdfExport};
use ikg::ingest::Decoding;
use ikg::query::{OutputFormat, QueryLimits, run_query, run_query_explained, run_query_limited};
use ikg::{KnowledgeStore, Pipeline, Resources};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// ikg allocates through mimalloc: extraction makes and drops many small strings
/// and vectors (tokens, mentions, typed sentences, quads), which its per-thread
/// free lists serve faster than glibc's malloc (news2011 extracted on one thread:
/// 3.3 s against 3.8 s). mimalloc also replaces `malloc` and `free` for the whole
/// process (feature `override`), RocksDB included: oxigraph frees the error
/// messages RocksDB allocates with `malloc` through Rust's allocator, so the two
/// must be the same (with mimalloc for Rust only, `ikg stats` crashed on a store
/// another process was writing). Tuned by [`tune_allocator`].
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "ikg",
    version,
    about = "Chinese regional-economy texts to an RDF knowledge graph"
)]
struct Cli {
    /// The store (an oxigraph RocksDB folder).
    #[arg(long, global = true, default_value = "kg.ikg")]
    store: PathBuf,
    /// A folder whose data files replace the bundled ones (same names as data/).
    #[arg(long, global = true)]
    data: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Extract entities and relations from .txt files (or folders of them) into the store.
    Build {
        /// Files or folders.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// Extract every document again, even one whose text and extractor are unchanged.
        #[arg(long)]
        force: bool,
        /// Stop at the first input that cannot be read, before writing anything.
        #[arg(long)]
        fail_fast: bool,
        /// Reject a file with any byte invalid in its encoding (default: replace a few by U+FFFD).
        #[arg(long)]
        strict: bool,
        /// Build only the I-th of N slices of the files (by a stable hash of each path), e.g. 2/8.
        #[arg(long)]
        shard: Option<ikg::shard::Shard>,
        /// Then remove the stored documents read from under these inputs whose files are gone
        /// (documents built from other folders stay; nothing is pruned if an input cannot be read).
        #[arg(long)]
        prune: bool,
        /// Then print the wall time of each phase: extraction, unification, writing, compaction.
        #[arg(long)]
        timings: bool,
    },
    /// Run a SPARQL query (over the union of all documents' graphs).
    Query(QueryArgs),
    /// Write the store as RDF, or draw it as a Graphviz DOT picture (and render it).
    Export(ExportArgs),
    /// Print counts: documents, entities per class, relations per property.
    Stats,
    /// Remove documents (by id, as `ikg build` gave them) and their graphs from the store.
    Remove {
        /// Document ids (`w_news01`, `a/report`).
        #[arg(required = true)]
        documents: Vec<String>,
    },
    /// Measure throughput on files or folders against a jieba-only baseline (same run).
    Bench(BenchArgs),
    /// Show how a text is analysed: sentences, words, mentions, entities and facts.
    Explain(ExplainArgs),
    /// Serve the store: a SPARQL 1.1 endpoint at /sparql and a browser page at /.
    Serve {
        /// Address and port to listen on; other than loopback, anyone who reaches it can query.
        #[arg(long, default_value = "127.0.0.1:7878")]
        bind: std::net::SocketAddr,
        /// Accept SPARQL updates (each applied by a process of its own, killed at the time limit).
        #[arg(long)]
        allow_update: bool,
        /// Longest time a query, drawing or update may take, in seconds.
        #[arg(long, default_value_t = 30)]
        timeout: u64,
        /// Most rows (or triples) a query may return.
        #[arg(long, default_value_t = 100_000)]
        max_rows: usize,
    },
    /// Evaluate one query for `ikg serve` (a request on standard input, the answer on standard
    /// output), in a process the server kills at its time limit.
    #[command(hide = true)]
    ServeQuery,
    /// Copy every named graph to a SPARQL 1.1 Graph Store HTTP Protocol endpoint (one PUT per graph).
    Push {
        /// The Graph Store Protocol URL, e.g. http://host:7878/store (oxigraph).
        #[arg(long)]
        endpoint: String,
        /// Tries per graph before it is reported as not written.
        #[arg(long, default_value_t = 3)]
        attempts: usize,
    },
    /// Score the store against gold files (entities.tsv, relations.tsv, investments.tsv).
    Eval(EvalArgs),
}

/// The arguments of `ikg query`.
#[derive(Args)]
struct QueryArgs {
    /// A .rq file (or use -e).
    file: Option<PathBuf>,
    /// The query text.
    #[arg(short = 'e', long = "expr", conflicts_with = "file")]
    expr: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: OutputFormat,
    /// Stop the query after this many seconds (0: no limit).
    #[arg(long, default_value_t = 60.0)]
    timeout: f64,
    /// Write at most this many rows (0: no limit).
    #[arg(long, default_value_t = 100_000)]
    limit: usize,
    /// Also write oxigraph's plan of the query, with the rows and time of each step, as JSON to this file.
    #[arg(long)]
    explain: Option<PathBuf>,
}

/// The arguments of `ikg export`.
#[derive(Args)]
struct ExportArgs {
    /// ttl, trig, nq, nt or dot (dot is implied by --view, --focus, --query and --render).
    #[arg(long, default_value = "ttl")]
    format: String,
    /// DOT: a view: `chain` (needs --industry) or `park` (needs --park).
    #[arg(long)]
    view: Option<String>,
    /// DOT chain view: the industry, by name or alias.
    #[arg(long)]
    industry: Option<String>,
    /// DOT park view: the park, by name or alias.
    #[arg(long)]
    park: Option<String>,
    /// DOT: draw the graph a CONSTRUCT query (.rq file) returns.
    #[arg(long)]
    query: Option<PathBuf>,
    /// Render with Graphviz to this format (needs -o).
    #[arg(long, value_enum, requires = "output")]
    render: Option<ikg::draw::RenderFormat>,
    /// DOT: draw the neighbourhood of this entity (name, alias or IRI).
    #[arg(long)]
    focus: Option<String>,
    /// DOT: steps from the focus.
    #[arg(long, default_value_t = 1)]
    depth: usize,
    /// DOT: most nodes drawn; the rest are counted in the legend.
    #[arg(long, default_value_t = 80)]
    max_nodes: usize,
    /// DOT: language of edge labels and the legend.
    #[arg(long, value_enum, default_value = "zh")]
    lang: Lang,
    /// Output file (default: standard output).
    #[arg(short, long)]
    output: Option<PathBuf>,
}

/// The arguments of `ikg bench`.
#[derive(Args)]
struct BenchArgs {
    /// Files or folders.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// text or json.
    #[arg(long, default_value = "text")]
    format: String,
    /// Folder of .rq queries timed on the built store, with `ikg stats`.
    #[arg(long, default_value = "queries")]
    queries: PathBuf,
    /// Python peer script (jieba + rdflib) run on the same files, when Python has both.
    #[arg(long, default_value = "scripts/peer_rdflib.py")]
    peer: PathBuf,
    /// Runs of each query; the median is reported.
    #[arg(long, default_value_t = 5)]
    runs: usize,
    /// Rounds of the stages and builds; each reports its least disturbed run (a shared
    /// machine's other jobs slow some runs).
    #[arg(long, default_value_t = 2)]
    rounds: usize,
}

/// The arguments of `ikg explain`.
#[derive(Args)]
struct ExplainArgs {
    /// A text file (or use -e).
    file: Option<PathBuf>,
    /// The text.
    #[arg(short = 'e', long = "expr", conflicts_with = "file")]
    expr: Option<String>,
    /// Also print the segmentation of each sentence.
    #[arg(long)]
    words: bool,
}

/// The arguments of `ikg eval`.
#[derive(Args)]
struct EvalArgs {
    /// Folder with the gold files.
    #[arg(long)]
    gold: PathBuf,
    /// text or json.
    #[arg(long, default_value = "text")]
    format: String,
    /// List every missed and spurious item.
    #[arg(long)]
    errors: bool,
    /// Score gold-format files in this folder instead of the store (another tool's output).
    #[arg(long)]
    system: Option<PathBuf>,
}

/// Set when standard output was closed by its reader (`ikg query … | head`).
static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);

/// Buffered standard output that notes a closed pipe, so that the command ends quietly.
struct Stdout(std::io::BufWriter<std::io::Stdout>);

impl Stdout {
    fn new() -> Self {
        Stdout(std::io::BufWriter::new(std::io::stdout()))
    }
}

fn note_closed<T>(r: std::io::Result<T>) -> std::io::Result<T> {
    if let Err(e) = &r
        && e.kind() == std::io::ErrorKind::BrokenPipe
    {
        STDOUT_CLOSED.store(true, Ordering::SeqCst);
    }
    r
}

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        note_closed(self.0.write(buf))
    }
    fn flush(&mut self) -> std::io::Result<()> {
        note_closed(self.0.flush())
    }
}

fn main() {
    let result = run(Cli::parse());
    if STDOUT_CLOSED.load(Ordering::SeqCst) {
        std::process::exit(0);
    }
    if let Err(e) = result {
        eprintln!("error: {}", one_line(&e));
        std::process::exit(1);
    }
}

/// The error and its causes in one line, each message once: a cause whose
/// text its parent already shows is left out.
fn one_line(error: &anyhow::Error) -> String {
    let mut message = String::new();
    for cause in error.chain() {
        let text = cause.to_string();
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if !message.contains(&text) {
            if !message.is_empty() {
                message.push_str(": ");
            }
            message.push_str(&text);
        }
    }
    message
}

fn run(cli: Cli) -> Result<()> {
    if let Some(dir) = &cli.data
        && !dir.is_dir()
    {
        bail!("--data {}: no such folder", dir.display());
    }
    let data = cli.data.as_deref();
    match cli.command {
        Command::Build {
            inputs,
            force,
            fail_fast,
            strict,
            shard,
            prune,
            timings,
        } => {
            let decoding = if strict {
                Decoding::Strict
            } else {
                Decoding::Lenient
            };
            build(
                &cli.store,
                data,
                &inputs,
                BuildRequest {
                    options: ikg::pipeline::BuildOptions { force },
                    decoding,
                    fail_fast,
                    shard,
                    prune,
                    timings,
                },
            )
        }
        Command::Query(args) => query(&cli.store, args),
        Command::Export(args) => export(&cli.store, args),
        Command::Stats => stats(&cli.store, &open_existing(&cli.store)?),
        Command::Remove { documents } => remove(&cli.store, data, &documents),
        Command::Bench(args) => bench(data, args),
        Command::Explain(args) => explain(data, args),
        Command::Serve {
            bind,
            allow_update,
            timeout,
            max_rows,
        } => serve(ikg::serve::ServeConfig {
            bind,
            allow_update,
            timeout: std::time::Duration::from_secs(timeout.max(1)),
            max_rows,
            query_process: std::env::current_exe().ok(),
            ..ikg::serve::ServeConfig::new(cli.store)
        }),
        Command::ServeQuery => Ok(ikg::serve::answer_child_query(
            &cli.store,
            std::io::stdin().lock(),
            std::io::BufWriter::new(std::io::stdout().lock()),
        )?),
        Command::Push { endpoint, attempts } => push(
            &cli.store,
            &ikg::push::PushOptions {
                attempts,
                ..ikg::push::PushOptions::new(&endpoint)
            },
        ),
        Command::Eval(args) => eval(&cli.store, args),
    }
}

/// `ikg query`: runs the query (in a child process when it has a time limit).
fn query(store_path: &Path, args: QueryArgs) -> Result<()> {
    let QueryArgs {
        file,
        expr,
        format,
        timeout,
        limit,
        explain,
    } = args;
    let sparql = match (file, expr) {
        (Some(f), _) => {
            std::fs::read_to_string(&f).with_context(|| format!("reading {}", f.display()))?
        }
        (None, Some(e)) => e,
        (None, None) => bail!("give a query file or -e 'SELECT …'"),
    };
    if !(timeout >= 0.0 && timeout.is_finite()) {
        bail!("--timeout {timeout}: give a number of seconds (0 for none)");
    }
    let limits = QueryLimits {
        timeout: (timeout > 0.0).then(|| Duration::from_secs_f64(timeout)),
        max_rows: (limit > 0).then_some(limit),
    };
    if let Some(limit) = limits.timeout
        && std::env::var_os(QUERY_CHILD).is_none()
    {
        return query_in_child(limit, timeout);
    }
    let store = open_existing(store_path)?;
    let mut out = Stdout::new();
    let outcome = match explain {
        None => run_query_limited(&store, &sparql, format, limits, &mut out)?,
        Some(path) => {
            let mut plan = writer(Some(&path))?;
            let outcome =
                run_query_explained(&store, &sparql, format, limits, &mut out, &mut plan)?;
            plan.flush()?;
            outcome
        }
    };
    out.flush()?;
    if outcome.truncated {
        eprintln!("note: stopped after {limit} rows; the query has more (--limit N, 0 for all)");
    }
    Ok(())
}

/// `ikg export`: the store as RDF, or a drawing of it as DOT (rendered when asked).
fn export(store_path: &Path, args: ExportArgs) -> Result<()> {
    let store = open_existing(store_path)?;
    let drawing = args.format == "dot"
        || args.view.is_some()
        || args.focus.is_some()
        || args.query.is_some()
        || args.render.is_some();
    if !drawing {
        let f = match args.format.as_str() {
            "ttl" | "turtle" => RdfExport::Ttl,
            "nt" => RdfExport::Nt,
            "trig" => RdfExport::Trig,
            "nq" => RdfExport::Nq,
            other => bail!("unknown format {other:?}: use ttl, trig, nq, nt or dot"),
        };
        let mut out = writer(args.output.as_deref())?;
        ikg::export::export_rdf(&store, f, &mut out)?;
        out.flush()?;
        return Ok(());
    }
    let dot = drawing_dot(&store, &args)?;
    match (args.render, args.output) {
        (Some(f), Some(path)) => {
            ikg::draw::render(&dot, f, &path)?;
            eprintln!("wrote {}", path.display());
        }
        (_, path) => {
            let mut out = writer(path.as_deref())?;
            out.write_all(dot.as_bytes())?;
            out.flush()?;
        }
    }
    Ok(())
}

/// The DOT text of the drawing `ikg export` was asked for: a view, the
/// neighbourhood of a focus, a query's graph, or the most connected nodes.
fn drawing_dot(store: &KnowledgeStore, args: &ExportArgs) -> Result<String> {
    let graph = KgGraph::load(store)?;
    let lang = args.lang;
    let max_nodes = args.max_nodes;
    let cut_note = |cut: usize| {
        (cut > 0).then(|| format!("{cut} more nodes not shown (--max-nodes {max_nodes})"))
    };
    Ok(match (args.view.as_deref(), &args.focus, &args.query) {
        (Some("chain"), _, _) => {
            let name = args
                .industry
                .as_deref()
                .context("--view chain needs --industry NAME")?;
            ikg::draw::chain_view(&graph, store, name)?.to_dot(lang, None)
        }
        (Some("park"), _, _) => {
            let name = args
                .park
                .as_deref()
                .context("--view park needs --park NAME")?;
            ikg::draw::park_view(&graph, store, name, lang)?.to_dot(lang, None)
        }
        (Some(other), _, _) => bail!("unknown view {other:?}: use chain or park"),
        (None, Some(name), _) => {
            let iri = graph
                .find(store, name)?
                .with_context(|| format!("no entity named {name:?} in the store"))?;
            let (sub, cut) = graph.neighbourhood(&iri, args.depth, max_nodes);
            sub.to_dot(lang, cut_note(cut).as_deref())
        }
        (None, None, Some(file)) => {
            let sparql = std::fs::read_to_string(file)
                .with_context(|| format!("reading {}", file.display()))?;
            ikg::draw::query_view(&graph, store, &sparql)?.to_dot(lang, None)
        }
        (None, None, None) => {
            let (sub, cut) = graph.most_connected(max_nodes);
            sub.to_dot(lang, cut_note(cut).as_deref())
        }
    })
}

/// `ikg bench`: the throughput report, as text or JSON.
fn bench(data: Option<&Path>, args: BenchArgs) -> Result<()> {
    let pipeline = Pipeline::new(&Resources::load(data)?)?;
    let files = ikg::ingest::collect_inputs(&args.inputs)?;
    let options = ikg::bench::BenchOptions {
        program: std::env::current_exe()?,
        data: data.map(Path::to_path_buf),
        queries: args.queries.is_dir().then_some(args.queries),
        peer: args.peer.is_file().then_some(args.peer),
        query_runs: args.runs,
        rounds: args.rounds,
        scratch: std::env::temp_dir(),
    };
    let report = ikg::bench::run(&pipeline, &files, &options)?;
    let mut out = Stdout::new();
    if args.format == "json" {
        writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
    } else {
        write!(out, "{}", report.render())?;
    }
    out.flush()?;
    Ok(())
}

/// `ikg explain`: how one text is analysed.
fn explain(data: Option<&Path>, args: ExplainArgs) -> Result<()> {
    let doc = match (args.file, args.expr) {
        (Some(f), _) => ikg::ingest::read_document(&f)?,
        (None, Some(text)) => ikg::ingest::SourceDocument::from_text("text", &text),
        (None, None) => bail!("give a file or -e TEXT"),
    };
    let pipeline = Pipeline::new(&Resources::load(data)?)?;
    let mut out = Stdout::new();
    ikg::pipeline::explain(&pipeline, doc, args.words, &mut out)?;
    out.flush()?;
    Ok(())
}

/// `ikg eval`: the store (or another tool's gold-format output) scored against gold.
fn eval(store_path: &Path, args: EvalArgs) -> Result<()> {
    let gold = ikg::eval::Gold::read(&args.gold).map_err(anyhow::Error::msg)?;
    let sys = match args.system {
        Some(dir) => ikg::eval::Gold::read(&dir)
            .map_err(anyhow::Error::msg)?
            .into(),
        None => ikg::eval::SystemOutput::read(&open_existing(store_path)?)?,
    };
    let mut report = ikg::eval::evaluate(&gold, &sys);
    let mut out = Stdout::new();
    if args.format == "json" {
        if !args.errors {
            report.errors.clear();
        }
        writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
    } else {
        write!(out, "{}", ikg::eval::render_text(&report, args.errors))?;
    }
    out.flush()?;
    Ok(())
}

fn writer(path: Option<&Path>) -> Result<Box<dyn Write>> {
    Ok(match path {
        Some(p) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("creating {}", p.display()))?,
        )),
        None => Box::new(Stdout::new()),
    })
}

/// Opens a store for reading; it needs no lock, so it works while a build runs.
fn open_existing(path: &Path) -> Result<KnowledgeStore> {
    Ok(KnowledgeStore::open_read_only(path)?)
}

fn serve(config: ikg::serve::ServeConfig) -> Result<()> {
    if !config.store.exists() {
        bail!(
            "no store at {} (run `ikg build` first, or give --store)",
            config.store.display()
        );
    }
    if !config.bind.ip().is_loopback() {
        eprintln!(
            "warning: listening on {}, reachable from other machines; ikg serve has no authentication",
            config.bind
        );
    }
    let mode = if config.allow_update {
        "updates allowed, each applied in a process of its own"
    } else {
        "read-only"
    };
    let store = config.store.display().to_string();
    let server = ikg::serve::Server::start(config)
        .with_context(|| format!("starting the server on store {store}"))?;
    println!(
        "serving {store} ({mode}) at http://{addr}/ , SPARQL endpoint http://{addr}/sparql ; Ctrl-C stops",
        addr = server.addr()
    );
    std::io::stdout().flush()?;
    server.wait()?;
    Ok(())
}

fn push(store_path: &Path, options: &ikg::push::PushOptions) -> Result<()> {
    if !store_path.exists() {
        bail!("no store at {}", store_path.display());
    }
    let store = KnowledgeStore::open_read_only(store_path)
        .with_context(|| format!("opening store {}", store_path.display()))?;
    let report = ikg::push::push(&store, options, |g| match &g.error {
        None => println!("written      {} ({} triples)", g.graph, g.triples),
        Some(e) => println!(
            "NOT written  {} ({} triples, {} attempts): {e}",
            g.graph, g.triples, g.attempts
        ),
    })?;
    let failed = report.iter().filter(|g| g.error.is_some()).count();
    let triples: usize = report
        .iter()
        .filter(|g| g.error.is_none())
        .map(|g| g.triples)
        .sum();
    println!(
        "{} of {} graphs written ({triples} triples) to {}",
        report.len() - failed,
        report.len(),
        options.endpoint
    );
    if failed > 0 {
        bail!(
            "{failed} graphs not written; running the push again retries them (a PUT replaces a graph, so graphs already written are only written again)"
        );
    }
    Ok(())
}

/// What a build was asked to do, besides its inputs.
struct BuildRequest {
    options: ikg::pipeline::BuildOptions,
    decoding: Decoding,
    fail_fast: bool,
    shard: Option<ikg::shard::Shard>,
    prune: bool,
    timings: bool,
}

/// `mi_option_arena_eager_commit` and `mi_option_purge_delay` in the `mi_option_e`
/// of mimalloc 3's `mimalloc.h` (the bindings name neither).
const MI_OPTION_ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Sets mimalloc up for a build's phases, which free on one thread what another
/// allocated: freed pages go back to the system after [`PURGE_DELAY_MS`], and
/// its arenas are committed as they fill. With its defaults (freed pages kept a
/// second, arenas committed whole) a build of bench-corpus peaked at 353–378 MB;
/// with pages never given back, at 445–626 MB.
fn tune_allocator() {
    // SAFETY: mi_option_set only sets an option of the allocator.
    unsafe {
        libmimalloc_sys::mi_option_set(MI_OPTION_ARENA_EAGER_COMMIT, 0);
        libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, PURGE_DELAY_MS);
    }
}

/// How long mimalloc keeps freed pages before it gives them back to the
/// system. Given back at once, each is faulted in (and zeroed) again when the
/// next batch needs it: a build of bench-corpus took about a tenth more CPU
/// time (user and system 30.6–34.0 s against 28.0–30.6 s, twice as much system
/// time) and peaked at 253–273 MB instead of 318–328 MB.
const PURGE_DELAY_MS: std::ffi::c_long = 100;

fn build(
    store_path: &Path,
    data: Option<&Path>,
    inputs: &[PathBuf],
    request: BuildRequest,
) -> Result<()> {
    let start = Instant::now();
    tune_allocator();
    let pipeline = Pipeline::deferred(Resources::load(data)?);
    let mut scan = ikg::ingest::scan_inputs(inputs, request.decoding);
    if request.fail_fast {
        if let Some(problem) = scan.problems.first() {
            bail!("{problem} (--fail-fast: nothing built)");
        }
        for file in &scan.files {
            file.read()
                .map_err(|e| anyhow::anyhow!("{e} (--fail-fast: nothing built)"))?;
        }
    }
    let mut failures: Vec<String> = scan.problems.iter().map(|p| p.to_string()).collect();
    if scan.files.is_empty() {
        report(&scan.warnings, &failures);
        bail!(
            "no .txt files to build in {}",
            inputs
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let prune_scope = request.prune.then(|| prune_scope(inputs, &scan)).flatten();
    if let Some(shard) = request.shard {
        let all = scan.files.len();
        scan.files.retain(|f| shard.contains(&f.path));
        eprintln!("shard {shard}: {} of {all} files", scan.files.len());
    }
    let bar = ProgressBar::new(scan.files.len() as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} documents {elapsed}")
            .expect("valid template"),
    );
    let summary = plan_and_write(
        store_path,
        &pipeline,
        &scan.files,
        request.options,
        prune_scope.as_ref(),
        Some(&bar),
    )?;
    bar.finish_and_clear();
    failures.extend(summary.failures.iter().cloned());
    let warnings: Vec<String> = scan
        .warnings
        .iter()
        .chain(&summary.warnings)
        .cloned()
        .collect();
    report(&warnings, &failures);
    println!(
        "{} documents ({} unchanged, skipped), {} sentences, {} entities, {} relations, {} investments in {:.1} s -> {}",
        summary.documents,
        summary.unchanged,
        summary.sentences,
        summary.entities,
        summary.relations,
        summary.investments,
        start.elapsed().as_secs_f64(),
        store_path.display()
    );
    if !summary.pruned.is_empty() {
        println!("{}", pruned_line(&summary.pruned));
    }
    if request.timings {
        println!("{}", summary.phases);
    }
    if !failures.is_empty() {
        bail!(
            "{} input{} not built (listed above)",
            failures.len(),
            if failures.len() == 1 { "" } else { "s" }
        );
    }
    Ok(())
}

/// What `--prune` may remove: nothing (with a warning) when an input is missing
/// or a folder could not be read, since the documents under it would look gone.
fn prune_scope(
    inputs: &[PathBuf],
    scan: &ikg::ingest::InputScan,
) -> Option<ikg::pipeline::PruneScope> {
    use ikg::ingest::IngestError;
    let unread = scan
        .problems
        .iter()
        .find(|p| matches!(p, IngestError::Missing { .. } | IngestError::Io { .. }));
    if let Some(problem) = unread {
        eprintln!("warning: --prune: nothing pruned, since an input could not be read ({problem})");
        return None;
    }
    Some(ikg::pipeline::PruneScope::new(inputs, &scan.files))
}

/// "pruned N documents …: a, b, c, …" (the first few ids).
fn pruned_line(pruned: &[String]) -> String {
    const SHOWN: usize = 5;
    let mut ids = pruned[..pruned.len().min(SHOWN)].join(", ");
    if pruned.len() > SHOWN {
        ids.push_str(&format!(", … ({} more)", pruned.len() - SHOWN));
    }
    format!(
        "pruned {} document{} whose file{} no longer among the inputs or cannot be built: {ids}",
        pruned.len(),
        if pruned.len() == 1 { "" } else { "s" },
        if pruned.len() == 1 { " is" } else { "s are" },
    )
}

/// Works a build (or a removal) out on a read-only view of the store, then
/// takes the lock and writes it: the store is locked only to be written.
fn plan_and_write(
    store_path: &Path,
    pipeline: &Pipeline,
    files: &[ikg::ingest::InputFile],
    options: ikg::pipeline::BuildOptions,
    scope: Option<&ikg::pipeline::PruneScope>,
    bar: Option<&ProgressBar>,
) -> Result<ikg::BuildSummary> {
    ikg::store_dir::check_writable(store_path)?;
    // A database whose creation a stopped build cut short holds nothing: the
    // build plans as for an empty store, and its writable open completes it.
    let reader = if ikg::store_dir::has_database(store_path) {
        match KnowledgeStore::open_read_only(store_path) {
            Ok(reader) => Some(reader),
            Err(ikg::store::StoreError::Unfinished { .. }) => None,
            Err(e) => return Err(e.into()),
        }
    } else {
        None
    };
    let progress = || {
        if let Some(bar) = bar {
            bar.inc(1);
        }
    };
    let plan =
        ikg::pipeline::plan_build(pipeline, reader.as_ref(), files, options, scope, &progress)?;
    drop(reader);
    if let Some(bar) = bar.filter(|_| plan.documents_to_write() > 0) {
        // Writing and compacting have no count to show: a spinner shows the build going on.
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg} {elapsed}").expect("valid template"),
        );
        bar.set_message(format!(
            "writing {} documents into the store, then compacting it",
            plan.documents_to_write()
        ));
        bar.enable_steady_tick(Duration::from_millis(120));
    }
    let store = KnowledgeStore::open(store_path)?;
    Ok(ikg::pipeline::write_build(
        pipeline, plan, &store, files, options, scope,
    )?)
}

/// Removes documents from a store, then unifies the names of the others again,
/// as a build does (so the store is the one a build of the remaining documents
/// gives); an id the store does not hold is an error (reported after the
/// others are removed).
fn remove(store_path: &Path, data: Option<&Path>, documents: &[String]) -> Result<()> {
    ikg::store_dir::check_readable(store_path)?;
    let pipeline = Pipeline::deferred(Resources::load(data)?);
    let scope = ikg::pipeline::PruneScope::documents(documents);
    let options = ikg::pipeline::BuildOptions::default();
    let summary = plan_and_write(store_path, &pipeline, &[], options, Some(&scope), None)?;
    for id in &summary.pruned {
        println!("removed {id}");
    }
    report(&summary.warnings, &[]);
    if summary.documents > 0 {
        println!(
            "{} other document{} written again, their names unified without the removed ones",
            summary.documents,
            if summary.documents == 1 { "" } else { "s" }
        );
    }
    let unknown: Vec<&str> = documents
        .iter()
        .filter(|id| !summary.pruned.contains(id))
        .map(String::as_str)
        .collect();
    if !unknown.is_empty() {
        bail!(
            "no document {} in {}",
            unknown.join(", "),
            store_path.display()
        );
    }
    Ok(())
}

/// Prints the warnings and failures of a build, one line each.
fn report(warnings: &[String], failures: &[String]) {
    for w in warnings {
        eprintln!("warning: {w}");
    }
    for f in failures {
        eprintln!("error: {f}");
    }
}

/// The three tables of `ikg stats`: documents, entities per class, relations per property.
struct StatsQueries {
    documents: String,
    entities: String,
    relations: String,
}

impl StatsQueries {
    /// Reading the counts a build or removal left in the store: a few quads.
    fn stored() -> Self {
        let stats = ikg::store::STATS_GRAPH;
        let per = |count: &str, name: &str, value: &str| {
            format!(
                "SELECT ?{name} ?{value} WHERE {{ GRAPH <{stats}> {{ ?n ikg:countOf ?{name} ; ikg:{count} ?{value} }} }} \
                 ORDER BY DESC(?{value}) ?{name}"
            )
        };
        StatsQueries {
            documents: format!(
                "SELECT ?documents WHERE {{ GRAPH <{stats}> {{ <{stats}> ikg:documentCount ?documents }} }}"
            ),
            entities: per("entityCount", "class", "entities"),
            relations: per("relationCount", "property", "relations"),
        }
    }

    /// Counting in the documents' graphs, for a store without its counts (being
    /// written, or left by an interrupted build): each pattern is made distinct
    /// before it is joined, since in the union of the documents' graphs a triple
    /// comes once per document that states it.
    fn counted() -> Self {
        let values = |terms: Vec<oxigraph::model::NamedNode>| {
            terms
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(" ")
        };
        let classes = values(ikg::vocab::Class::ALL.iter().map(|c| c.iri()).collect());
        let properties = values(ikg::vocab::Property::ALL.iter().map(|p| p.iri()).collect());
        StatsQueries {
            documents: "SELECT (COUNT(DISTINCT ?d) AS ?documents) WHERE { ?d a ikg:Document }"
                .to_string(),
            entities: format!(
                "SELECT ?class (COUNT(?e) AS ?entities) WHERE {{ \
                 {{ SELECT DISTINCT ?e ?class WHERE {{ VALUES ?class {{ {classes} }} ?e a ?class }} }} }} \
                 GROUP BY ?class ORDER BY DESC(?entities) ?class"
            ),
            relations: format!(
                "SELECT ?property (COUNT(*) AS ?relations) WHERE {{ \
                 {{ SELECT DISTINCT ?s ?property ?o WHERE {{ VALUES ?property {{ {properties} }} \
                 ?s ?property ?o . FILTER(isIRI(?o) && STRSTARTS(STR(?o), STR(id:))) }} }} }} \
                 GROUP BY ?property ORDER BY DESC(?relations) ?property"
            ),
        }
    }
}

fn stats(path: &Path, store: &KnowledgeStore) -> Result<()> {
    if let Some((written, to_write)) = store.unfinished_build()? {
        if ikg::store_dir::writer_running(path) {
            println!("build under way: {written} of {to_write} documents written so far\n");
        } else {
            println!(
                "last build interrupted: {written} of {to_write} documents written (build again to finish it)\n"
            );
        }
    }
    let queries = if store.has_stats()? {
        StatsQueries::stored()
    } else {
        StatsQueries::counted()
    };
    let mut out = Stdout::new();
    for (title, query) in [
        ("documents", &queries.documents),
        ("\nentities per class", &queries.entities),
        ("\nrelations per property", &queries.relations),
    ] {
        writeln!(out, "{title}")?;
        run_query(store, query, OutputFormat::Table, &mut out)?;
    }
    out.flush()?;
    Ok(())
}

/// Set in the environment of the child process that runs a query with a time limit.
const QUERY_CHILD: &str = "IKG_QUERY_CHILD";

/// Seconds a query may keep computing after its time limit cancelled it:
/// oxigraph notices the cancellation only at its next store read, and each row
/// checks it, but a join computed in memory (a cartesian product) may read the
/// store no more and give no row for a long time.
const TIMEOUT_GRACE: Duration = Duration::from_secs(2);

/// Runs this `ikg query` again in a child process that shares standard output
/// and error (rows stream as they come), and kills it when it runs
/// `TIMEOUT_GRACE` past its limit without having stopped at a row or a store
/// read: the hard stop `ikg serve` uses too. The store is only read, so nothing
/// is left half-written; the child's exit status is this command's.
fn query_in_child(limit: Duration, seconds: f64) -> Result<()> {
    let mut command = std::process::Command::new(std::env::current_exe()?);
    command
        .args(std::env::args_os().skip(1))
        .env(QUERY_CHILD, "1");
    match ikg::query::run_time_limited(command, None, limit + TIMEOUT_GRACE)
        .context("starting the query process")?
    {
        ikg::query::Limited::Exited { status, .. } => {
            std::process::exit(status.code().unwrap_or(1))
        }
        ikg::query::Limited::Killed => {
            bail!("query stopped after {seconds} s (--timeout), still computing in memory")
        }
    }
}

#[cfg(test)]
mod tests {
    /// The option numbers name the options meant (mimalloc's defaults for them:
    /// freed pages kept 1,000 ms, arenas committed on systems that overcommit).
    #[test]
    fn mimalloc_option_numbers_name_the_purge_delay_and_the_arenas_commit() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some()
            || std::env::var_os("MIMALLOC_ARENA_EAGER_COMMIT").is_some()
        {
            return;
        }
        // SAFETY: mi_option_get only reads an option of the allocator.
        unsafe {
            assert_eq!(
                libmimalloc_sys::mi_option_get(super::MI_OPTION_PURGE_DELAY),
                1000
            );
            assert_eq!(
                libmimalloc_sys::mi_option_get(super::MI_OPTION_ARENA_EAGER_COMMIT),
                2
            );
        }
    }
}
