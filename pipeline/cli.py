"""The `facts` command: a thin layer over the library.

Each command parses its options, calls the library, and prints. Library errors (FactpipeError)
become one `Error: <file>: <reason>` line on stderr and a non-zero exit status; commands over
several files report every failing file and still process the others.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .errors import FactpipeError

EXIT_FAILED = 1


def _error(e: FactpipeError | str) -> None:
    click.echo(f"Error: {e.message if isinstance(e, FactpipeError) else e}", err=True)


class _Group(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except FactpipeError as e:
            _error(e)
            ctx.exit(EXIT_FAILED)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="factpipe")
def main():
    """factpipe: statistics from published reports, every figure traceable to its source.

    \b
    Example:
      facts fetch --mirror ../shared/corpus && facts run
    """


# -- ingest ------------------------------------------------------------------------------
@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--max-size", type=int, default=None, help="Refuse files above this many bytes.")
def ingest(file: Path, fmt: str, max_size: int | None):
    """Print a document's extracted text with its page and block structure.

    Offsets printed here are the ones observations refer to.

    \b
    Example:
      facts ingest raw/ncmec-ojjdp-transparency-cy2022.pdf --format json | jq '.blocks[0]'
    """
    from .ingest import DEFAULT_MAX_BYTES, ingest_file

    doc = ingest_file(file, max_bytes=max_size or DEFAULT_MAX_BYTES)
    if fmt == "json":
        click.echo(doc.model_dump_json(indent=1))
        return
    click.echo(f"# {doc.source}  sha256={doc.sha256}  format={doc.format}  pages={len(doc.pages) or '-'}")
    if doc.title:
        click.echo(f"# title: {doc.title}")
    if doc.published:
        click.echo(f"# published: {doc.published}")
    for b in doc.blocks:
        where = f"p{b.page} " if b.page else ""
        click.echo(f"\n[{b.start}:{b.end}] {where}{b.kind}{f' h{b.level}' if b.level else ''}")
        if b.table is not None:
            t = b.table
            if t.caption:
                click.echo(f"  caption: {t.caption}")
            click.echo(f"  header: {t.stub_header or ''} | " + " | ".join(t.columns))
            for r in t.rows:
                cells = " | ".join(f"{c.label + ': ' if c.label and not c.text.startswith(c.label) else ''}{c.text} [{c.start}:{c.end}]"
                                   for c in r.cells)
                click.echo(f"  {r.label or '-'} | {cells}")
        else:
            for line in b.text.splitlines():
                click.echo(f"  {line}")
    for w in doc.warnings:
        click.echo(f"# warning: {w}", err=True)


# -- extract -----------------------------------------------------------------------------
@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--rules", "rules_dir", default="rules", show_default=True, type=click.Path(path_type=Path))
@click.option("--raw", "raw_dir", default="raw", show_default=True, type=click.Path(path_type=Path),
              help="Raw folder whose sources.yaml describes the files (dates, currency).")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True)
@click.option("--explain", is_flag=True, help="List the numbers that did not become observations, and why.")
def extract(files, rules_dir, raw_dir, fmt, explain):
    """Print the observations of the given files on stdout; writes nothing.

    \b
    Example:
      facts extract raw/003_e4de62413ed41204.txt --format csv > obs.csv
      facts extract --explain raw/002_0a1c537e7b82efe0.txt
    """
    from .dataset.io import OBSERVATION_COLUMNS, SKIPPED_COLUMNS, to_csv, to_jsonl
    from .run import extract_files

    results, errors = extract_files(list(files), rules_dir=rules_dir, raw_dir=raw_dir)
    observations = [o for r in results for o in r.observations]
    if explain:
        skipped = [s for r in results for s in r.skipped]
        if fmt == "csv":
            click.echo(to_csv(skipped, SKIPPED_COLUMNS), nl=False)
        else:
            for s in skipped:
                page = f" p{s.page}" if s.page else ""
                click.echo(f"{s.source}{page} [{s.char_start}:{s.char_end}] {s.surface!r}: {s.reason} | {s.context}")
    elif fmt == "csv":
        click.echo(to_csv(observations, OBSERVATION_COLUMNS), nl=False)
    else:
        click.echo(to_jsonl(observations), nl=False)
    for e in errors:
        _error(e)
    if errors:
        sys.exit(EXIT_FAILED)


# -- fetch -------------------------------------------------------------------------------
@main.command()
@click.option("--raw", "raw_dir", default="raw", show_default=True, type=click.Path(path_type=Path))
@click.option("--mirror", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="A local folder holding the files by name, used instead of the network.")
@click.option("--force", is_flag=True, help="Fetch again even if the file is present and checks out.")
@click.option("--timeout", type=float, default=30.0, show_default=True)
def fetch(raw_dir, mirror, force, timeout):
    """Bring every document raw/sources.yaml lists with a `url` into the raw folder.

    Checks each file's sha256 against the manifest and records when it was retrieved.

    \b
    Example:
      facts fetch --mirror ../shared/corpus
    """
    from .fetch import fetch as do_fetch

    results = do_fetch(raw_dir, mirror, force=force, timeout=timeout)
    failed = 0
    for r in results:
        if r.status == "failed":
            failed += 1
            _error(r.error)
        else:
            click.echo(f"{r.status:8} {r.file}  {r.detail}")
    if failed:
        click.echo(f"{failed} of {len(results)} documents could not be fetched", err=True)
        sys.exit(EXIT_FAILED)


# -- run ---------------------------------------------------------------------------------
@main.command()
@click.option("--raw", "raw_dir", default="raw", show_default=True, type=click.Path(path_type=Path))
@click.option("--rules", "rules_dir", default="rules", show_default=True, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", default="extracted", show_default=True, type=click.Path(path_type=Path))
@click.option("--jobs", "-j", type=int, default=None, help="Worker processes (default: the machine's cores).")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local", show_default=True)
@click.option("--scheduler", default=None, help="Dask scheduler address (with --executor dask).")
@click.option("--no-cache", is_flag=True, help="Ingest and extract every document again.")
@click.option("--max-size", type=int, default=None, help="Refuse documents above this many bytes.")
@click.option("-v", "--verbose", count=True, help="Say per document whether it was processed or reused.")
@click.option("-q", "--quiet", is_flag=True, help="Only errors and the final line.")
def run(raw_dir, rules_dir, out_dir, jobs, executor, scheduler, no_cache, max_size, verbose, quiet):
    """The main job: ingest, extract and reconcile every document, and write a dataset version.

    A run that changes nothing (same documents, rules and code) writes no version.

    \b
    Example:
      facts run -v
      facts run --executor dask --scheduler tcp://10.0.0.5:8786
    """
    from .run import RunOptions, run_pipeline

    def progress(msg: str, level: int = 1) -> None:
        if not quiet and verbose >= level - 1:
            click.echo(msg, err=level > 1)

    opts = RunOptions(raw_dir=raw_dir, rules_dir=rules_dir, out_dir=out_dir, jobs=jobs, executor=executor,
                      scheduler=scheduler, use_cache=not no_cache, max_bytes=max_size, verbose=verbose)
    result = run_pipeline(opts, progress=progress)
    for e in result.errors:
        _error(e)
    click.echo(result.summary)
    if result.errors:
        sys.exit(EXIT_FAILED)


# -- diff --------------------------------------------------------------------------------
@main.command()
@click.argument("old", required=False)
@click.argument("new", required=False)
@click.option("--out", "out_dir", default="extracted", show_default=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "csv"]), default="text", show_default=True)
def diff(old, new, out_dir, fmt):
    """Facts added, removed and changed between two versions (default: the two newest).

    \b
    Example:
      facts diff                 # previous version against the newest
      facts diff v0001 v0003 --format csv > changes.csv
    """
    from .dataset.diff import diff_versions, format_diff_csv, format_diff_text

    d = diff_versions(out_dir, old, new)
    click.echo(format_diff_csv(d) if fmt == "csv" else format_diff_text(d), nl=False)


# -- report ------------------------------------------------------------------------------
@main.command()
@click.argument("version", required=False)
@click.option("--dir", "out_dir", default="extracted", show_default=True, type=click.Path(path_type=Path),
              help="The folder holding the dataset versions.")
@click.option("--out", "out_file", default=None, type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the report (default: the version's report.html).")
@click.option("--raw", "raw_dir", default="raw", show_default=True, type=click.Path(path_type=Path),
              help="Raw folder, for page images of PDF observations.")
def report(version, out_dir, out_file, raw_dir):
    """Write the review report of a version as one self-contained HTML file.

    \b
    Example:
      facts report --out /tmp/review.html && xdg-open /tmp/review.html
    """
    from .report import write_report

    path = write_report(out_dir, version, out_file=out_file, raw_dir=raw_dir)
    click.echo(str(path))


if __name__ == "__main__":  # pragma: no cover
    main()
