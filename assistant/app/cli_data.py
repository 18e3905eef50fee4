"""``assistant kb`` and ``assistant catalog``: a home's documents and an operator's media catalogue.

They work on the data folder a server uses (``data_dir``, by default ``assistant serve``'s). A
server running on that folder answers from a document ``kb add`` added (and stops answering from
one ``kb remove`` removed) at its next question: its knowledge base re-reads the folder when the
catalog changed (skills/knowledge/folder.py).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from assistant.app.config import SERVE_DATA_DIR, Config
from assistant.app.skillset import open_knowledge
from skills.content import CatalogError, CatalogStore, shipped_catalog_path
from skills.knowledge import DocumentInfo, KnowledgeBase, KnowledgeError

COMMANDS = ("kb", "catalog")


def add_parsers(sub: argparse._SubParsersAction) -> None:
    kb = sub.add_parser("kb", help="a home's own documents for the knowledge skill (manuals: Markdown, text, PDF)")
    kb_sub = kb.add_subparsers(dest="kb_command", required=True)
    add = kb_sub.add_parser("add", help="add (or replace, by file name) documents")
    add.add_argument("paths", nargs="+", type=Path)
    add.add_argument("--device", action="append", default=[], help="a device id the document covers (repeatable)")
    listing = kb_sub.add_parser("list", help="the documents a home sees (the shipped manuals first)")
    remove = kb_sub.add_parser("remove", help="remove one of a home's documents by id")
    remove.add_argument("doc")
    for parser in (add, listing, remove):
        parser.add_argument("--home", default="demo", help="the home's id (default: demo)")
        parser.add_argument("--json", action="store_true", help="one JSON object per document")

    catalog = sub.add_parser("catalog", help="the media catalogue of the content skill")
    catalog_sub = catalog.add_subparsers(dest="catalog_command", required=True)
    imp = catalog_sub.add_parser("import", help="add or replace an operator's or a home's catalogue (JSONL, the shipped schema)")
    imp.add_argument("file", type=Path)
    imp.add_argument("--scope", default="operator", help="an operator name (every home sees it) or home:<id> (default: operator)")


def data_dir(config: Config) -> Path:
    path = Path(config.data_dir or SERVE_DATA_DIR).expanduser()
    path.mkdir(parents=True, exist_ok=True)
    return path


def _document(info: DocumentInfo, as_json: bool) -> str:
    if as_json:
        return json.dumps(asdict(info), ensure_ascii=False)
    scope = "shipped" if info.shared else info.home
    return f"{info.doc}\t{scope}\t{info.lang}\t{info.format}\t{info.chunks} chunks\t{info.title}"


async def run(args: argparse.Namespace, config: Config) -> int:
    if args.command == "catalog":
        return _import_catalog(args, config)
    base = await open_knowledge(data_dir(config), config.search.url)
    try:
        return await _kb(args, base)
    finally:
        await base.close()


async def _kb(args: argparse.Namespace, base: KnowledgeBase) -> int:
    failed = 0
    if args.kb_command == "add":
        for path in args.paths:
            try:
                print(_document(await base.add(args.home, path, devices=args.device), args.json))
            except KnowledgeError as err:
                failed += 1
                _error(str(path), err.reason, err.message)
    elif args.kb_command == "list":
        for info in await base.list(args.home):
            print(_document(info, args.json))
    else:
        try:
            print(_document(await base.remove(args.home, args.doc), args.json))
        except KnowledgeError as err:
            failed += 1
            _error(args.doc, err.reason, err.message)
    return 1 if failed else 0


def _import_catalog(args: argparse.Namespace, config: Config) -> int:
    store = CatalogStore(shipped_catalog_path(), data_dir(config) / "content")
    try:
        count = store.import_catalog(args.file, args.scope)
    except CatalogError as err:
        _error(str(args.file), err.reason, err.message)
        return 1
    print(json.dumps({"imported": count, "scope": args.scope}))
    return 0


def _error(what: str, code: Any, message: str) -> None:
    print(f"error: {what}: {code}: {message}", file=sys.stderr)
