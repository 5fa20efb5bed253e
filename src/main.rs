//! The `ikg` command line: a thin layer over the `ikg` library.

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use ikg::export::{KgGraph, Lang, RdfExport};
use ikg::query::{OutputFormat, run_query};
use ikg::{KnowledgeStore, Pipeline, Resources};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

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
    },
    /// Run a SPARQL query (over the union of all documents' graphs).
    Query {
        /// A .rq file (or use -e).
        file: Option<PathBuf>,
        /// The query text.
        #[arg(short = 'e', long = "expr", conflicts_with = "file")]
        expr: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value = "table")]
        format: OutputFormat,
    },
    /// Write the store as RDF, or draw it as a Graphviz DOT picture (and render it).
    Export {
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
    },
    /// Print counts: documents, entities per class, relations per property.
    Stats,
    /// Measure throughput on files or folders against a jieba-only baseline (same run).
    Bench {
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
    },
    /// Show how a text is analysed: sentences, words, mentions, entities and facts.
    Explain {
        /// A text file (or use -e).
        file: Option<PathBuf>,
        /// The text.
        #[arg(short = 'e', long = "expr", conflicts_with = "file")]
        expr: Option<String>,
        /// Also print the segmentation of each sentence.
        #[arg(long)]
        words: bool,
    },
    /// Score the store against gold files (entities.tsv, relations.tsv, investments.tsv).
    Eval {
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
    },
}

fn main() {
    if let Err(e) = run(Cli::parse()) {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}

fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Build { inputs, force } => build(
            &cli.store,
            cli.data.as_deref(),
            &inputs,
            ikg::pipeline::BuildOptions { force },
        ),
        Command::Query { file, expr, format } => {
            let sparql = match (file, expr) {
                (Some(f), _) => std::fs::read_to_string(&f)
                    .with_context(|| format!("reading {}", f.display()))?,
                (None, Some(e)) => e,
                (None, None) => bail!("give a query file or -e 'SELECT …'"),
            };
            let store = open_existing(&cli.store)?;
            let stdout = std::io::stdout();
            run_query(&store, &sparql, format, &mut stdout.lock())?;
            Ok(())
        }
        Command::Export {
            format,
            view,
            industry,
            park,
            query,
            render,
            focus,
            depth,
            max_nodes,
            lang,
            output,
        } => {
            let store = open_existing(&cli.store)?;
            let drawing = format == "dot"
                || view.is_some()
                || focus.is_some()
                || query.is_some()
                || render.is_some();
            if !drawing {
                let f = match format.as_str() {
                    "ttl" | "turtle" => RdfExport::Ttl,
                    "nt" => RdfExport::Nt,
                    "trig" => RdfExport::Trig,
                    "nq" => RdfExport::Nq,
                    other => bail!("unknown format {other:?}: use ttl, trig, nq, nt or dot"),
                };
                let mut out = writer(output.as_deref())?;
                ikg::export::export_rdf(&store, f, &mut out)?;
                out.flush()?;
                return Ok(());
            }
            let graph = KgGraph::load(&store)?;
            let dot = match (view.as_deref(), focus, query) {
                (Some("chain"), _, _) => {
                    let name = industry.context("--view chain needs --industry NAME")?;
                    ikg::draw::chain_view(&graph, &store, &name)?.to_dot(lang, None)
                }
                (Some("park"), _, _) => {
                    let name = park.context("--view park needs --park NAME")?;
                    ikg::draw::park_view(&graph, &store, &name, lang)?.to_dot(lang, None)
                }
                (Some(other), _, _) => bail!("unknown view {other:?}: use chain or park"),
                (None, Some(name), _) => {
                    let iri = graph
                        .find(&store, &name)?
                        .with_context(|| format!("no entity named {name:?} in the store"))?;
                    let (sub, cut) = graph.neighbourhood(&iri, depth, max_nodes);
                    let note = (cut > 0)
                        .then(|| format!("{cut} more nodes not shown (--max-nodes {max_nodes})"));
                    sub.to_dot(lang, note.as_deref())
                }
                (None, None, Some(file)) => {
                    let sparql = std::fs::read_to_string(&file)
                        .with_context(|| format!("reading {}", file.display()))?;
                    ikg::draw::query_view(&graph, &store, &sparql)?.to_dot(lang, None)
                }
                (None, None, None) => graph.to_dot(lang, None),
            };
            match (render, output) {
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
        Command::Stats => stats(&open_existing(&cli.store)?),
        Command::Bench {
            inputs,
            format,
            queries,
            peer,
            runs,
        } => {
            let pipeline = Pipeline::new(&Resources::load(cli.data.as_deref())?)?;
            let files = ikg::ingest::collect_inputs(&inputs)?;
            let options = ikg::bench::BenchOptions {
                program: std::env::current_exe()?,
                data: cli.data.clone(),
                queries: queries.is_dir().then_some(queries),
                peer: peer.is_file().then_some(peer),
                query_runs: runs,
                scratch: std::env::temp_dir(),
            };
            let report = ikg::bench::run(&pipeline, &files, &options)?;
            if format == "json" {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                print!("{}", report.render());
            }
            Ok(())
        }
        Command::Explain { file, expr, words } => {
            let doc = match (file, expr) {
                (Some(f), _) => ikg::ingest::read_document(&f)?,
                (None, Some(text)) => ikg::ingest::SourceDocument {
                    id: "text".into(),
                    file_name: "text".into(),
                    text,
                    encoding: "UTF-8",
                },
                (None, None) => bail!("give a file or -e TEXT"),
            };
            let resources = Resources::load(cli.data.as_deref())?;
            let pipeline = Pipeline::new(&resources)?;
            let stdout = std::io::stdout();
            ikg::pipeline::explain(&pipeline, doc, words, &mut stdout.lock())?;
            Ok(())
        }
        Command::Eval {
            gold,
            format,
            errors,
            system,
        } => {
            let gold = ikg::eval::Gold::read(&gold).map_err(anyhow::Error::msg)?;
            let sys = match system {
                Some(dir) => ikg::eval::Gold::read(&dir)
                    .map_err(anyhow::Error::msg)?
                    .into(),
                None => ikg::eval::SystemOutput::read(&open_existing(&cli.store)?)?,
            };
            let report = ikg::eval::evaluate(&gold, &sys);
            if format == "json" {
                let mut report = report;
                if !errors {
                    report.errors.clear();
                }
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                print!("{}", ikg::eval::render_text(&report, errors));
            }
            Ok(())
        }
    }
}

fn writer(path: Option<&Path>) -> Result<Box<dyn Write>> {
    Ok(match path {
        Some(p) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("creating {}", p.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout())),
    })
}

fn open_existing(path: &Path) -> Result<KnowledgeStore> {
    if !path.exists() {
        bail!(
            "no store at {} (run `ikg build` first, or give --store)",
            path.display()
        );
    }
    KnowledgeStore::open(path).with_context(|| format!("opening store {}", path.display()))
}

fn build(
    store_path: &Path,
    data: Option<&Path>,
    inputs: &[PathBuf],
    options: ikg::pipeline::BuildOptions,
) -> Result<()> {
    let start = Instant::now();
    let resources = Resources::load(data)?;
    let pipeline = Pipeline::new(&resources)?;
    let files = ikg::ingest::collect_inputs(inputs)?;
    if files.is_empty() {
        bail!(
            "no .txt files in {}",
            inputs
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let store = KnowledgeStore::open(store_path)
        .with_context(|| format!("opening store {}", store_path.display()))?;
    let bar = ProgressBar::new(files.len() as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} documents {elapsed}")
            .expect("valid template"),
    );
    let summary = ikg::pipeline::build_with(&pipeline, &store, &files, options, &|| bar.inc(1))?;
    bar.finish_and_clear();
    for f in &summary.failures {
        eprintln!("error: {f}");
    }
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
    if !summary.failures.is_empty() {
        bail!(
            "{} of {} files could not be read",
            summary.failures.len(),
            files.len()
        );
    }
    Ok(())
}

fn stats(store: &KnowledgeStore) -> Result<()> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    writeln!(out, "documents")?;
    run_query(
        store,
        "SELECT (COUNT(DISTINCT ?d) AS ?documents) WHERE { ?d a ikg:Document }",
        OutputFormat::Table,
        &mut out,
    )?;
    // Each pattern is made distinct before it is joined: in the union of the
    // documents' graphs a triple comes once per document that states it. Every
    // entity a build writes has its ikg:mentionedIn beside its type, so the
    // entities of a class are those typed with it.
    let values = |terms: Vec<oxigraph::model::NamedNode>| {
        terms
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(" ")
    };
    let classes = values(ikg::vocab::Class::ALL.iter().map(|c| c.iri()).collect());
    writeln!(out, "\nentities per class")?;
    run_query(
        store,
        &format!(
            "SELECT ?class (COUNT(?e) AS ?entities) WHERE {{ \
             {{ SELECT DISTINCT ?e ?class WHERE {{ VALUES ?class {{ {classes} }} ?e a ?class }} }} }} \
             GROUP BY ?class ORDER BY DESC(?entities) ?class"
        ),
        OutputFormat::Table,
        &mut out,
    )?;
    let properties = values(ikg::vocab::Property::ALL.iter().map(|p| p.iri()).collect());
    writeln!(out, "\nrelations per property")?;
    run_query(
        store,
        &format!(
            "SELECT ?property (COUNT(*) AS ?relations) WHERE {{ \
             {{ SELECT DISTINCT ?s ?property ?o WHERE {{ VALUES ?property {{ {properties} }} \
             ?s ?property ?o . FILTER(isIRI(?o) && STRSTARTS(STR(?o), STR(id:))) }} }} }} \
             GROUP BY ?property ORDER BY DESC(?relations) ?property"
        ),
        OutputFormat::Table,
        &mut out,
    )?;
    Ok(())
}
