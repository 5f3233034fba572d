"""What the `ardesk` command prints: one formatter per command, from the job's result and the options given.

Results are data; the words are here, so a scheduler reading stdout and a person at a terminal read the same
thing, and the ribbon says it its own way (ardesk.excel.buttons). Each formatter imports what it needs when it
runs, so a command loads only its own (the add-in's build never loads the ERP edge to print a path).
"""
import io
import json

SHOWN_LINES = 20
"""How many proposed applications `ardesk reconcile` shows on a terminal before it summarises the rest."""


def aging(table, args) -> str:
    """The aging pivot as a table, CSV, or the documented JSON (amounts with two decimals)."""
    from ardesk.ar.aging import TOTAL, grand_total
    from ardesk.frames import cents_to_amount

    key = table.index.name
    totals = grand_total(table)
    if args.format == "json":
        rows = [{key: group, **{c: round(v / 100, 2) for c, v in values.items()}} for group, values in
                table.iterrows()]
        rows.append({key: "Grand Total", **{c: round(int(v) / 100, 2) for c, v in totals.items()}})
        return json.dumps(rows, indent=1)
    shown = table.copy()
    shown.loc["Grand Total"] = totals
    amounts = shown.apply(cents_to_amount)
    if args.format == "csv":
        return amounts.to_csv(float_format="%.2f").rstrip("\n")
    from rich.table import Table

    text = amounts.map(lambda v: f"{v:,.2f}")
    text.index = text.index.astype(str)
    widths = {key: max(len(key), text.index.str.len().max())}
    widths |= {column: max(len(column), text[column].str.len().max()) for column in text.columns}
    view = Table(title=f"Aging by {args.by.replace('_', ' ')}")
    for n, (column, width) in enumerate(widths.items()):
        view.add_column(column, justify="right" if n else "left", no_wrap=True, min_width=width,
                        style="bold" if column == TOTAL else None)
    for group, values in text.iterrows():
        view.add_row(group, *values, style="bold" if group == "Grand Total" else None)
    # Never cut an amount or a name short: the table is as wide as it needs (a narrow terminal wraps lines).
    return _rendered(view, sum(widths.values()) + 3 * len(widths) + 1)


def _rendered(view, width: int) -> str:
    """A rich table as plain text `width` characters wide."""
    from rich.console import Console

    console = Console(width=width, file=io.StringIO())
    console.print(view)
    return console.file.getvalue().rstrip("\n")


def _records(frame, money: dict[str, str]) -> list[dict]:
    """Rows as JSON objects: cents columns renamed to amounts with two decimals, text as given."""
    from ardesk.frames import cents_to_amount

    shown = frame.rename(columns=money)
    for column in money.values():
        shown[column] = shown[column].map(lambda cents: float(cents_to_amount(cents)))
    return json.loads(shown.to_json(orient="records", force_ascii=False))


def reconcile(result, args) -> str:
    """The proposals as the documented JSON; as text, the first SHOWN_LINES lines and a summary of all of them by
    kind and confidence, pointing to where the whole list is (the workbook, or --format json)."""
    from ardesk.frames import DIFFERENCES, PROPOSALS, cents_to_amount

    lines, review = result.lines, result.review
    if args.format == "json":
        kinds = {"proposals": ("Apply", PROPOSALS), "write_offs": ("Write off", DIFFERENCES),
                 "short_pays": ("Short pay", DIFFERENCES)}
        parts = {key: _records(lines.loc[lines["kind"] == kind, list(contract)], {"amount_cents": "amount"})
                 for key, (kind, contract) in kinds.items()}
        parts["review"] = _records(review, {"credit_cents": "credit_amount", "left_cents": "amount"})
        return json.dumps({key: parts[key] for key in ("proposals", "review", "write_offs", "short_pays")},
                          indent=1, ensure_ascii=False)
    from rich.table import Table

    view = Table(title="Proposed applications" + (f" (the first {SHOWN_LINES})" if len(lines) > SHOWN_LINES else ""))
    for column in ("Kind", "Customer", "Credit", "Invoice", "Currency", "Amount", "Rule", "Confidence"):
        view.add_column(column, justify="right" if column == "Amount" else "left", no_wrap=True)
    for row in lines.head(SHOWN_LINES).itertuples():
        view.add_row(row.kind, row.customer_id, row.credit_doc, row.invoice_doc, row.currency,
                     f"{cents_to_amount(row.amount_cents):,.2f}", row.rule, row.confidence)
    said = [_rendered(view, 120)]
    counts = lines.groupby(["kind", "confidence"], sort=False).size()
    said.append(f"{len(lines):,} lines proposed" + (": " + ", ".join(
        f"{n:,} {kind.lower()} ({confidence} confidence)" for (kind, confidence), n in counts.items()) if len(lines)
        else "."))
    reasons = review["reason"].value_counts()
    said.append(f"{len(review):,} credits left for review" +
                (": " + ", ".join(f"{n:,} {reason}" for reason, n in reasons.items()) if len(review) else "."))
    said.append(f"Every line is on the Reconcile sheet of {result.workbook}." if result.workbook else
                "Every line: --format json, or --workbook WORKBOOK to approve them on its Reconcile sheet.")
    return "\n".join(said)


def applied(result, args) -> str:
    """One line per approved line, then the outcomes counted and the import file written."""
    import pandas as pd

    from ardesk.frames import cents_to_amount

    lines = [f"{row.kind} {row.credit_doc} -> {row.invoice_doc} "
             f"{'' if pd.isna(row.amount_cents) else f'{cents_to_amount(row.amount_cents):,.2f} '}{row.currency}: "
             f"{row.status}" for row in result.lines.itertuples()]
    lines.append(result.summary() + ".")
    if result.written:
        lines.append(f"Cash receipt import: {result.written}")
    return "\n".join(lines)


def pushed(result, args=None) -> str:
    """Each note by customer and the start of its text, with its status; then the counts and, when the push
    stopped early, why."""
    from ardesk.erp.writeback import status_text

    notes = result.notes
    lines = [f"{customer or '?'} \"{_start(text)}\": {status}" for customer, text, status in
             zip(notes["customer_id"].fillna(""), notes["text"].fillna(""), status_text(notes))]
    lines.append(f"{result.sent} sent, {result.found} already in the ERP, {result.invalid} invalid, "
                 f"{result.queued} queued" + (f": {result.error}" if result.error else "."))
    return "\n".join(lines)


def _start(text: str, width: int = 40) -> str:
    """The first line of a note, cut at `width` characters with an ellipsis."""
    first = text.strip().splitlines()[0] if text.strip() else ""
    return first if len(first) <= width else first[:width - 1].rstrip() + "…"


def history(found, args) -> str:
    import pandas as pd

    if found.empty:
        return f"No notes for {args.customer} in the ERP."
    lines = []
    for row in found.itertuples():
        head = (f"{'' if pd.isna(row.written) else f'{row.written:%Y-%m-%d}':<10}  {row.contact_type:<8} "
                f"{row.outcome:<13} {row.author:<12} ")
        text = [line for line in row.text.splitlines() if line.strip()] or [""]
        lines += [head + text[0], *(" " * len(head) + line for line in text[1:])]
    return "\n".join(lines)


def plan(result, args) -> str:
    from ardesk.frames import cents_to_amount

    return "\n".join([f"{row.installment:>3}  {row.due_date:%Y-%m-%d}  {cents_to_amount(row.amount_cents):,.2f}"
                      for row in result.schedule.itertuples()] + [pushed(result.pushed)])


def demo(result, args) -> str:
    """The workbook's path first (what a script reads), then how to go on."""
    go_on = (f"Wrote {result.settings_file}: the next commands read the demo ERP without --connect" if
             result.settings_file else f"The demo ERP is {result.connect}: give it as --connect (or set [erp] connect "
                                       "in ardesk.toml) to the next commands")
    return (f"{result.workbook}\n{go_on}, for example `ardesk refresh {result.workbook.name}`, `ardesk reconcile`, "
            f"`ardesk notes history CUSTOMER`.")


def demo_erp(connect: str, args) -> str:
    return f"Demo ERP ready: {connect}"


def migrated(result, args) -> str:
    """Each step with its statements (`--dry-run`: as they would run), then the version the ERP is at."""
    lines = [f"-- {step.version:04d} {step.name}\n" + "".join(f"{sql};\n" for sql in step.statements)
             for step in result.steps]
    if result.dry_run:
        end = (f"The ERP is at version {result.before}: these steps would bring it to {result.steps[-1].version} "
               "(dry run: nothing was written)." if result.steps else
               f"The ERP is at version {result.before}, the latest: nothing to apply.")
    else:
        end = (f"ardesk's tables in the ERP went from version {result.before} to {result.after}." if result.steps else
               f"ardesk's tables in the ERP are at version {result.after}, the latest: nothing to apply.")
    return "\n".join([*lines, end])


def paths(result, args) -> str:
    """A path, or one per line."""
    return "\n".join(map(str, result)) if isinstance(result, list) else str(result)


def closed(result, args) -> str:
    """The Month-End workbook's path, how the aging ties to the general ledger, the allowance, and last what
    became of the period in the ERP."""
    from ardesk.jobs import close as job

    tie = result.tie
    tied = ("Not tied to the general ledger: set [close] ar_accounts in ardesk.toml." if tie is None else
            f"Aging {tie.aging_cents / 100:,.2f}, general ledger {tie.gl_cents / 100:,.2f}, "
            f"difference {tie.difference_cents / 100:,.2f}, residual {tie.residual_cents / 100:,.2f}.")
    frozen = {
        job.FROZEN: "Closed: the period is frozen in the ERP.",
        job.AGAIN: "Closed again: the period's frozen figures are today's.",
        job.UNCHANGED: "Already closed; the ERP's history of the period is as it was frozen.",
        job.CHANGED: "Already closed; the ERP's history of the period has changed since (see the Changes Since "
                     "Close sheet).",
        job.DRAFT: "Draft: the period was not frozen.",
        job.UNTIED: "Not frozen: the GL tie-out has to tie first.",
    }
    return "\n".join([f"{result.path}", tied, *_reserves(result), frozen[result.state]])


def _reserves(result) -> list[str]:
    """The allowance required against the ledger's, the journal written, and the write-offs proposed."""
    if result.reserves is None:
        return []
    allowance, proposed = result.reserves.allowance, result.reserves.proposals
    said = f"Allowance required {allowance.required_cents / 100:,.2f}"
    if allowance.gl_cents is None:
        said += " (not compared with the general ledger: set [close] allowance_accounts in ardesk.toml)."
    else:
        said += (f", general ledger {allowance.gl_cents / 100:,.2f}, adjustment "
                 f"{allowance.adjustment_cents / 100:,.2f}.")
    lines = [said]
    if result.journal:
        lines.append(f"Adjusting entry: {result.journal}")
    elif allowance.adjustment_cents:
        lines.append("No adjusting entry written: set [close] bad_debt_account (and [erp] company when the ERP has "
                     "several) in ardesk.toml.")
    lines.append(f"{len(proposed)} write-off{'' if len(proposed) == 1 else 's'} proposed, "
                 f"{proposed['base_balance_cents'].sum() / 100:,.2f}: approve them on the Write-Offs sheet.")
    return lines


def written_off(result, args) -> str:
    """One line per approved write-off, the outcomes counted, and the adjustment import written."""
    import pandas as pd

    lines = [f"Write off {row.invoice_doc} of {row.customer_id} "
             f"{'' if pd.isna(row.amount_cents) else f'{row.amount_cents / 100:,.2f} '}{row.currency} "
             f"({row.rule}, {row.approver}): {row.status}" for row in result.lines.itertuples()]
    lines.append(_outcomes(result.lines["status"], "No write-off is approved"))
    if result.written:
        lines.append(f"AR adjustment import: {result.written}")
    return "\n".join(lines)


def holds(applied, args) -> str:
    """One line per approved hold or release and what became of it, the outcomes counted."""
    changes = applied.changes
    lines = [f"{row.action} {row.customer_id}: {row.status}" for row in changes.itertuples()]
    lines.append(_outcomes(changes["status"], "No hold or release is approved on the Credit Hold sheet"))
    if applied.pushed is not None and applied.pushed.queued:
        lines.append(f"{applied.pushed.queued} note(s) wait in the outbox: run ardesk notes push when the ERP answers.")
    return "\n".join(lines)


def bureau_imported(imported, args) -> str:
    """How many reports were matched and stored, and where the rows to look at are listed."""
    rows = len(imported.rows)
    matched = imported.count("Matched")
    lines = [f"{rows:,} report{'s' * (rows != 1)} of the {imported.bureau} bureau: {matched:,} matched to customers "
             f"({imported.stored:,} stored now, {matched - imported.stored:,} stored before), "
             f"{imported.count('Review'):,} for review, {imported.count('Not found'):,} about no customer."]
    if imported.review:
        lines.append(f"Review list: {imported.review}")
    return "\n".join(lines)


def _outcomes(status, nothing: str) -> str:
    """The outcomes of approved lines counted ("2 staged, 1 rejected."), or `nothing` when there are none."""
    counts = status.str.split(":").str[0].value_counts()
    return (", ".join(f"{n} {what.lower()}" for what, n in counts.items()) or nothing) + "."


def limits_staged(result, args) -> str:
    """One line per approved credit limit, the outcomes counted, and the notes logged."""
    lines = [f"Credit limit {row.limit_cents / 100:,.2f} for {row.customer_id} ({row.approver}): {row.status}"
             for row in result.lines.itertuples()]
    lines.append(_outcomes(result.lines["status"], "No credit limit is approved"))
    if result.pushed is not None:
        lines.append(pushed(result.pushed, args))
    return "\n".join(lines)


def dunning(proposed, args) -> str:
    """The Dunning workbook's path and what it proposes."""
    letters = proposed.proposals
    by_level = letters.groupby(["level", "level_name"]).size()
    levels = ", ".join(f"{count} {name}" for (_, name), count in by_level.items()) or "no letter"
    return (f"{proposed.path}\n{levels} proposed; {len(proposed.left_out)} customer"
            f"{'s' * (len(proposed.left_out) != 1)} with something past due left out (the Not Dunned sheet says "
            "why). Type Yes in Approve for the letters to send, then run ardesk dunning --send.")


def dunning_sent(sent, args) -> str:
    """Each approved letter and what became of it (its files and e-mail draft when written), then the folder."""
    lines = [f"{row.customer_id}: level {row.level} {row.level_name}: {row.status}"
             + (f"  {row.files}  {row.draft or row.mail}" if row.files else "")
             for row in sent.letters.itertuples()]
    if sent.folder is not None:
        written = int((sent.letters["files"] != "").sum())
        drafts = int((sent.letters["draft"] != "").sum())
        lines.append(f"{written} letter{'s' * (written != 1)} and {drafts} e-mail draft{'s' * (drafts != 1)} in "
                     f"{sent.folder}")
    return "\n".join(lines)


def returned_notices(noticed, args) -> str:
    """Each notice due and what became of it, then the folder; or that none is due."""
    if noticed.folder is None:
        return "No returned payment needs a notice: each is paid again or has had its notice."
    lines = [f"{row.customer_id}: receipt {row.receipt}: {row.status}  {row.files}  {row.draft or row.mail}"
             for row in noticed.letters.itertuples()]
    drafts = int((noticed.letters["draft"] != "").sum())
    lines.append(f"{len(noticed.letters)} notice{'s' * (len(noticed.letters) != 1)} and {drafts} e-mail "
                 f"draft{'s' * (drafts != 1)} in {noticed.folder}")
    return "\n".join(lines)


def sentence(result, args) -> str:
    return str(result)


def outbox(kept, args) -> str:
    """The notes waiting, each with the ERP it is kept for; or what a retry or a discard did."""
    if kept.discarded:
        return f"Discarded {kept.discarded} note{'s' * (kept.discarded != 1)} in {kept.path}: they will not be sent."
    if kept.pushed:
        return "\n".join(pushed(result) for result in kept.pushed)
    if kept.waiting.empty:
        return f"No notes are waiting in {kept.path}."
    from ardesk.erp.odbc import describe
    from ardesk.settings import ErpSettings

    lines = [f"{len(kept.waiting)} note{'s' * (len(kept.waiting) != 1)} waiting in {kept.path}:"]
    for row in kept.waiting.itertuples():
        erp = (f"{describe(ErpSettings(connect=row.erp_connect))}" + (f", company {row.erp_company}"
               if row.erp_company else "")) if row.erp_connect else "no ERP recorded"
        lines.append(f"{row.note_id[:8]}  {row.customer_id} \"{_start(row.text)}\": {row.state}"
                     f"{f': {row.reason}' if row.reason else ''} (for {erp})")
    return "\n".join(lines)


def statements(done, args) -> str:
    """Each statement with its e-mail's fate, then the customers left out and why, then the folder."""
    lines = [f"{row.customer_id}  {_start(row.customer_name, 30):30}  {row.files}  {row.status}"
             + (f" ({row.email})" if row.email and row.status != "Draft" else "")
             for row in done.letters.itertuples()]
    lines += [f"{row.customer_id}  no statement: {row.reason}" for row in done.left_out.itertuples()]
    drafts = int((done.letters["draft"] != "").sum())
    lines.append(f"{len(done.letters)} statements and {drafts} e-mail drafts in {done.folder}")
    return "\n".join(lines)
