"""ardesk.toml: which ERP to read, how to age, what the workbook is based on.

Settings hold no secrets: the ERP password comes from the environment variable named by
`erp.password_env` or from the OS keyring (service `erp.keyring_service`, user = the connection's UID),
and is looked up only at the moment of connecting (see ardesk.erp.odbc).
"""
import datetime as dt
import tomllib
from collections.abc import Mapping
from decimal import ROUND_FLOOR, Decimal
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

import platformdirs

from ardesk.errors import ArdeskError

DEFAULT_THRESHOLDS = (30, 60, 90, 120)


def data_dir() -> Path:
    """The user's ardesk data directory (the demo ERP, local outboxes)."""
    return Path(platformdirs.user_data_dir("ardesk", appauthor=False))


def parse_thresholds(text: str) -> tuple[int, ...]:
    """`"30,60,90"` -> (30, 60, 90); a clear error for anything else."""
    try:
        values = tuple(int(part) for part in text.replace(" ", "").split(",") if part)
    except ValueError:
        raise ArdeskError(f"Bucket thresholds {text!r} are not whole numbers: give days like 30,60,90,120.") from None
    return AgingSettings(thresholds=values).thresholds


@dataclass(frozen=True)
class AgingSettings:
    thresholds: tuple[int, ...] = DEFAULT_THRESHOLDS
    """Bucket upper bounds in days past due; bucket k holds (t[k-1], t[k]]."""
    basis: str = "due"
    """`due`: age from the due date (the ERP's aged-receivables default); `doc`: from the document date."""

    def __post_init__(self):
        given = self.thresholds
        if not isinstance(given, (list, tuple)) or not all(_whole(x) for x in given):
            raise ArdeskError(f"[aging] thresholds = {given!r} must be a list of whole days, like [30, 60, 90, 120].")
        t = tuple(given)
        if not t or t[0] < 1 or any(b <= a for a, b in zip(t, t[1:])):
            raise ArdeskError(
                f"Bucket thresholds {','.join(map(str, t)) or '(none)'} must be rising whole days above 0, "
                "like 30,60,90,120."
            )
        if self.basis not in ("due", "doc"):
            raise ArdeskError(f"Aging basis {self.basis!r} is unknown: use 'due' or 'doc'.")
        object.__setattr__(self, "thresholds", t)


@dataclass(frozen=True)
class ReportSettings:
    """Thresholds of the Exceptions, Credit Hold and Summary sheets (amounts in the base currency)."""

    past_due_days: tuple[int, ...] = (5, 10, 15, 30, 60, 90)
    """Exceptions: one section per N, the customers with a balance more than N days past due."""
    large_balance: Decimal = Decimal(50_000)
    """Exceptions: customers whose balance more than `large_balance_days` past due exceeds this amount."""
    large_balance_days: int = 10
    credit_age_days: int = 30
    """Exceptions: credit memos and unapplied cash older than this many days."""
    hold_days_beyond_terms: int = 30
    """Credit Hold: recommend a hold when any invoice is more than this many days past its due date."""
    release_days_beyond_terms: int = 5
    """Credit Hold: recommend releasing a held customer within the limit when no invoice is more than this many
    days past its due date."""
    released_shown_days: int = 30
    """Hit List: a customer whose credit hold was lifted within this many days stays on the list, saying so."""
    kpi_days: int = 90
    """DSO and CEI period: the credit sales of the last N days up to the as-of date."""
    snapshot_months: int = 12
    """Summary: how many month-ends the DSO / % over 90 trend goes back."""
    cei_sales: str = "total"
    """CEI sales convention: `total` (the period's credit sales) or `monthly_average`."""

    def __post_init__(self):
        days = tuple(int(x) for x in self.past_due_days)
        if not days or any(d < 0 for d in days) or list(days) != sorted(set(days)):
            raise ArdeskError(f"[reports] past_due_days {list(days)} must be rising whole days, like [5, 10, 15].")
        object.__setattr__(self, "past_due_days", days)
        try:
            amount = Decimal(str(self.large_balance))
        except ArithmeticError:
            amount = Decimal(-1)
        if not amount.is_finite() or amount < 0:
            raise ArdeskError(f"[reports] large_balance {self.large_balance!r} must be an amount of 0 or more, like 50000.")
        object.__setattr__(self, "large_balance", amount)
        for name in ("large_balance_days", "credit_age_days", "hold_days_beyond_terms", "release_days_beyond_terms",
                     "released_shown_days", "kpi_days", "snapshot_months"):
            value = getattr(self, name)
            if not isinstance(value, int) or value < (1 if name in ("kpi_days", "snapshot_months") else 0):
                raise ArdeskError(f"[reports] {name} = {value!r} must be a whole number of days (months) above 0.")
        if self.cei_sales not in ("total", "monthly_average"):
            raise ArdeskError(f"[reports] cei_sales {self.cei_sales!r} is unknown: use 'total' or 'monthly_average'.")

    @property
    def large_balance_cents(self) -> int:
        return int((self.large_balance * 100).to_integral_value())


def _whole(value) -> bool:
    """An int from the TOML file, not a bool (which Python counts as one)."""
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(frozen=True)
class ReconcileSettings:
    """[reconcile]: how unapplied credits are matched to open invoices (ardesk.ar.matching)."""

    tolerance_pct: Decimal | None = None
    """A credit short of the invoice it is matched to by no more than this percent of the invoice's balance
    (and no more than `tolerance_abs`, when that is given) pays it in full with a write-off for the difference,
    which a person still approves. None: not given, so no limit by share."""
    tolerance_abs: Decimal | None = None
    """The write-off limit as an amount, in the document currency. None: not given, so no limit by amount. Only
    the limits given apply (a limit not given never cancels one given); with neither, nothing is written off."""
    apply_oldest: bool = False
    """Apply the credits that match nothing to the oldest invoices first, for every customer."""
    apply_oldest_customers: tuple[str, ...] = ()
    """The customers (or parents of families) that want oldest-first when `apply_oldest` is off."""
    max_combination: int = 6
    """The most open invoices one credit is matched to by amount alone."""
    search_budget: int = 50_000
    """Sets of invoices the combination search may examine for one credit before it gives up and says so."""
    parents: dict[str, str] = field(default_factory=dict)
    """Child customer ID -> parent customer ID: a family's credits may pay any of its members' invoices."""

    def __post_init__(self):
        for name, most, example in (("tolerance_pct", 100, "0.5 (percent)"), ("tolerance_abs", None, "5.00")):
            if getattr(self, name) is None:
                continue
            try:
                value = Decimal(str(getattr(self, name)))
            except ArithmeticError:
                value = Decimal(-1)
            if not value.is_finite() or value < 0 or (most is not None and value > most):
                limit = f" and at most {most}" if most is not None else ""
                raise ArdeskError(f"[reconcile] {name} = {getattr(self, name)!r} must be a number of 0 or more{limit}, "
                                  f"like {example}.")
            object.__setattr__(self, name, value)
        if not isinstance(self.apply_oldest, bool):
            raise ArdeskError(f"[reconcile] apply_oldest = {self.apply_oldest!r} must be true or false.")
        customers = self.apply_oldest_customers
        if isinstance(customers, str) or not all(isinstance(c, str) for c in customers):
            raise ArdeskError(f"[reconcile] apply_oldest_customers = {customers!r} must be a list of customer ids, "
                              'like ["C001", "C002"].')
        object.__setattr__(self, "apply_oldest_customers", tuple(customers))
        if not _whole(self.max_combination) or not 1 <= self.max_combination <= 8:
            raise ArdeskError(f"[reconcile] max_combination = {self.max_combination!r} must be a whole number "
                              "from 1 to 8, like 6.")
        if not isinstance(self.parents, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in self.parents.items()):
            raise ArdeskError(f"[reconcile] parents = {self.parents!r} must map child customer IDs to parent ones, "
                              'like { C002 = "C001" }.')
        if not _whole(self.search_budget) or self.search_budget < 100:
            raise ArdeskError(f"[reconcile] search_budget = {self.search_budget!r} must be a whole number of "
                              "100 or more, like 50000.")

    @property
    def tolerance_abs_cents(self) -> int | None:
        """tolerance_abs in cents, rounded down (None: not given)."""
        if self.tolerance_abs is None:
            return None
        return int((self.tolerance_abs * 100).to_integral_value(rounding=ROUND_FLOOR))

    @property
    def tolerance_ppm(self) -> int | None:
        """tolerance_pct in millionths of the balance (exact to 4 decimals of a percent, rounded down; None: not
        given)."""
        if self.tolerance_pct is None:
            return None
        return int((self.tolerance_pct * 10_000).to_integral_value(rounding=ROUND_FLOOR))

    @property
    def writes_off(self) -> bool:
        """A limit was given, and every limit given allows something."""
        given = [t for t in (self.tolerance_ppm, self.tolerance_abs_cents) if t is not None]
        return bool(given) and all(given)

    def applies_oldest(self, customer_id: str) -> bool:
        return self.apply_oldest or customer_id in self.apply_oldest_customers


DEPARTMENTS = {
    "Pricing": "Sales", "Shortage": "Shipping", "Damage": "Quality", "Returns": "Customer service",
    "Not received": "Shipping", "Duplicate billing": "Billing", "Unauthorised deduction": "Collections",
    "": "Collections",
}
"""Where a dispute is routed by its reason ("": a dispute the ERP's note gives no reason for)."""


@dataclass(frozen=True)
class NotesSettings:
    """[notes]: when a promise to pay counts as kept, how notes are pushed to the ERP, where disputes go."""

    grace_days: int = 3
    """A promise is kept when payments dated up to this many days after its date cover the promised amount."""
    batch_rows: int = 500
    """Notes per ERP transaction when pushing (one multi-row INSERT per table; fewer when the notes are long)."""
    departments: dict[str, str] = field(default_factory=dict)
    """Dispute reason -> the department it is routed to, over DEPARTMENTS (`{ Pricing = "Sales ops" }`)."""

    def __post_init__(self):
        for name, low, high, example in (("grace_days", 0, 365, 3), ("batch_rows", 1, 2000, 500)):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
                raise ArdeskError(f"[notes] {name} = {value!r} must be a whole number from {low} to {high}, "
                                  f"like {example}.")
        given = self.departments
        if not isinstance(given, dict) or not all(isinstance(v, str) and v.strip() for v in given.values()):
            raise ArdeskError(f"[notes] departments = {given!r} must map dispute reasons to department names, "
                              'like { Pricing = "Sales" }.')
        unknown = sorted(set(given) - set(DEPARTMENTS) - {""})
        if unknown:
            raise ArdeskError(f"[notes] departments names {unknown[0]!r}, which is not a dispute reason: use "
                              f"{', '.join(r for r in DEPARTMENTS if r)}.")
        object.__setattr__(self, "departments", DEPARTMENTS | {k: v.strip() for k, v in given.items()})


DEFAULT_ALLOWANCE_RATES = (1, 2, 5, 10, 25, 50)
"""Percent of each bucket's balance reserved (Current, 1-30, 31-60, 61-90, 91-120, Over 120): a textbook starting
point, to be justified by the historical loss rates the Allowance sheet shows beside it."""


def _accounts(given, name: str, example: str) -> tuple[str, ...]:
    """A list of general-ledger accounts from ardesk.toml, or the sentence saying how to write one."""
    if not isinstance(given, (list, tuple)) or not all(isinstance(a, str) and a.strip() for a in given):
        raise ArdeskError(f"[close] {name} = {given!r} must list {example}.")
    return tuple(a.strip() for a in given)


def _amount(value, where: str, example: str) -> Decimal:
    """An amount of 0 or more from ardesk.toml (a number or exact decimal text), or the sentence saying so."""
    try:
        amount = Decimal(str(value)) if not isinstance(value, bool) else Decimal(-1)
    except ArithmeticError:
        amount = Decimal(-1)
    if not amount.is_finite() or amount < 0:
        raise ArdeskError(f"{where} = {value!r} must be an amount of 0 or more, like {example}.")
    return amount


@dataclass(frozen=True)
class CloseSettings:
    """[close]: the month-end close."""

    ar_accounts: tuple[str, ...] = ()
    """The general ledger's receivables control accounts, as the ERP writes them (`["1200-00"]`): what the close
    ties the aging to. None set: the close rolls the receivables forward and says the tie-out was not done."""
    allowance_accounts: tuple[str, ...] = ()
    """The allowance for doubtful accounts in the general ledger (`["1290"]`), a credit balance: what the required
    allowance is compared with; the adjusting entry goes to the first. None set: not compared, no entry."""
    bad_debt_account: str = ""
    """The bad-debt expense account the adjusting entry debits (or credits, when the allowance is too high)."""
    allowance_rates: tuple[Decimal, ...] = DEFAULT_ALLOWANCE_RATES
    """The provision matrix: percent of each aging bucket's balance reserved, Current first, one per bucket."""
    loss_months: int = 12
    """The month-ends before the period whose balances the historical loss rates follow to their write-offs."""

    def __post_init__(self):
        object.__setattr__(self, "ar_accounts", _accounts(self.ar_accounts, "ar_accounts",
                                                          'the receivables control accounts as text, like ["1200"]'))
        object.__setattr__(self, "allowance_accounts", _accounts(
            self.allowance_accounts, "allowance_accounts", 'the allowance for doubtful accounts as text, like ["1290"]'))
        object.__setattr__(self, "bad_debt_account", self.bad_debt_account.strip())
        rates = self.allowance_rates
        if not isinstance(rates, (list, tuple)) or not rates:
            raise ArdeskError(f"[close] allowance_rates = {rates!r} must list a percent per aging bucket, Current "
                              "first, like [1, 2, 5, 10, 25, 50].")
        percents = tuple(_amount(rate, "[close] allowance_rates", "[1, 2, 5, 10, 25, 50]") for rate in rates)
        if any(p > 100 or p != p.quantize(Decimal("0.0001")) for p in percents):
            raise ArdeskError(f"[close] allowance_rates = {list(rates)!r} must be percents from 0 to 100 with at most "
                              "four decimals, like [1, 2, 5, 10, 25, 50].")
        object.__setattr__(self, "allowance_rates", percents)
        if not _whole(self.loss_months) or not 1 <= self.loss_months <= 60:
            raise ArdeskError(f"[close] loss_months = {self.loss_months!r} must be a whole number of months from 1 "
                              "to 60, like 12.")

    @property
    def allowance_ppm(self) -> tuple[int, ...]:
        """allowance_rates in millionths of the balance (exact: four decimals of a percent)."""
        return tuple(int(rate * 10_000) for rate in self.allowance_rates)


@dataclass(frozen=True)
class WriteOffSettings:
    """[writeoffs]: which open items the close proposes to write off, and who may approve how much."""

    small_balance: Decimal = Decimal(25)
    """Propose debit items whose base-currency balance is at most this amount (0: none for being small)."""
    inactive_days: int = 365
    """Propose debit items nothing was applied to for more than this many days (since their date when never)."""
    small_reason: str = "SMALL"
    """The ERP's reason code for a small balance written off."""
    inactive_reason: str = "UNCOLL"
    """The ERP's reason code for an item written off as uncollectible."""
    approvers: dict[str, Decimal] = field(default_factory=dict)
    """Who may approve write-offs -> the largest one each may approve, base currency (`{ "Dana Lee" = 5000 }`)."""

    def __post_init__(self):
        object.__setattr__(self, "small_balance", _amount(self.small_balance, "[writeoffs] small_balance", "25"))
        if not _whole(self.inactive_days) or self.inactive_days < 1:
            raise ArdeskError(f"[writeoffs] inactive_days = {self.inactive_days!r} must be a whole number of days "
                              "above 0, like 365.")
        for name in ("small_reason", "inactive_reason"):
            if not getattr(self, name).strip() or len(getattr(self, name).strip()) > 8:
                raise ArdeskError(f"[writeoffs] {name} = {getattr(self, name)!r} must be one of the ERP's reason "
                                  'codes (up to 8 characters), like "SMALL".')
        given = self.approvers
        if not isinstance(given, dict) or not all(isinstance(k, str) and k.strip() for k in given):
            raise ArdeskError(f"[writeoffs] approvers = {given!r} must map approvers' names to their limits, "
                              'like { "Dana Lee" = 5000 }.')
        object.__setattr__(self, "approvers", {
            name.strip(): _amount(limit, f"[writeoffs] approvers {name!r}", "5000") for name, limit in given.items()})

    @property
    def small_balance_cents(self) -> int:
        return int((self.small_balance * 100).to_integral_value(rounding=ROUND_FLOOR))


@dataclass(frozen=True)
class CreditSettings:
    """[credit]: the Credit Review sheet: the rule of its recommended limit, when a review is due, and who may
    approve a limit (docs/credit.md#credit-review says how they combine)."""

    months_of_sales: Decimal = Decimal(2)
    """The starting limit: this many months of the customer's average monthly sales of the last 12 months."""
    slow_days: int = 15
    """A customer paying more than this many days late on average (amount-weighted) is slow ..."""
    slow_scale: Decimal = Decimal("0.75")
    """... and its starting limit is scaled by this."""
    late_days: int = 45
    """A customer paying more than this many days late on average is late ..."""
    late_scale: Decimal = Decimal("0.5")
    """... and its starting limit is scaled by this instead."""
    worsening_days: int = 10
    """Paying more than this many days later in the last 3 months than in the 9 before ..."""
    worsening_cut: Decimal = Decimal("0.1")
    """... takes this off the scale."""
    returned_cut: Decimal = Decimal("0.25")
    """Each payment returned in the last 12 months (NSF, rejected debit) takes this off the scale."""
    broken_cut: Decimal = Decimal("0.1")
    """Each promise to pay broken in the last 12 months takes this off the scale."""
    rounding: Decimal = Decimal(1000)
    """The recommended limit is rounded down to a multiple of this (and is at least this: 0 is no limit in the
    ERP)."""
    review_months: int = 12
    """A review is due this many months after the ERP's credit review date (never reviewed: due now)."""
    utilisation: Decimal = Decimal("0.9")
    """A review is due when exposure (balance plus open orders) is over this share of the credit limit."""
    approvers: dict[str, Decimal] = field(default_factory=dict)
    """Who may approve credit limits -> the largest limit each may approve, base currency
    (`{ "Dana Lee" = 250000 }`)."""

    def __post_init__(self):
        for name, example in (("months_of_sales", "2"), ("slow_scale", "0.75"), ("late_scale", "0.5"),
                              ("worsening_cut", "0.1"), ("returned_cut", "0.25"), ("broken_cut", "0.1"),
                              ("utilisation", "0.9"), ("rounding", "1000")):
            amount = _amount(getattr(self, name), f"[credit] {name}", example)
            if amount != amount.quantize(Decimal("0.0001")) or (name == "rounding" and amount < Decimal("0.01")):
                raise ArdeskError(f"[credit] {name} = {getattr(self, name)!r} must be a number with at most 4 "
                                  f"decimals{' and at least 0.01' if name == 'rounding' else ''}, like {example}.")
            object.__setattr__(self, name, amount)
        for name in ("slow_days", "late_days", "worsening_days", "review_months"):
            value = getattr(self, name)
            if not _whole(value) or value < (1 if name == "review_months" else 0):
                raise ArdeskError(f"[credit] {name} = {value!r} must be a whole number of "
                                  f"{'months above 0' if name == 'review_months' else 'days, 0 or more'}.")
        if self.late_days < self.slow_days:
            raise ArdeskError(f"[credit] late_days = {self.late_days} must be at least slow_days = {self.slow_days}: "
                              "late is slower than slow.")
        given = self.approvers
        if not isinstance(given, dict) or not all(isinstance(k, str) and k.strip() for k in given):
            raise ArdeskError(f"[credit] approvers = {given!r} must map approvers' names to the largest limit each "
                              'may approve, like { "Dana Lee" = 250000 }.')
        object.__setattr__(self, "approvers", {
            name.strip(): _amount(limit, f"[credit] approvers {name!r}", "250000") for name, limit in given.items()})

    def basis_points(self, name: str) -> int:
        """A share setting in ten-thousandths (0.75 -> 7500): the rule scales cents by whole numbers only."""
        return int(getattr(self, name) * 10_000)

    @property
    def rounding_cents(self) -> int:
        return int(self.rounding * 100)


STATEMENT_SUBJECT = "Statement of account {{ customer_id }} as of {{ as_of }}"
STATEMENT_BODY = """Dear {{ contact_name or "customer" }},

Please find attached your statement of account as of {{ as_of }}: {{ currency }} {{ total_due }} is open, of which
{{ currency }} {{ past_due }} is past due. If your records differ, or a payment is on its way, please reply to
this e-mail.

Kind regards,
{{ remit_to[0] if remit_to else "Accounts receivable" }}
"""

DUNNING_SUBJECT = "{{ level_name }}: {{ currency }} {{ past_due }} past due, customer {{ customer_id }}"
DUNNING_BODY = """Dear {{ contact_name or "customer" }},

Please find attached our {{ level_name | lower }} as of {{ as_of }}: {{ currency }} {{ past_due }} is past due on
your account{% if dunning_amount != "0.00" %}, and {{ currency }} {{ dunning_amount }} interest and fees are
charged{% endif %}: {{ currency }} {{ total_due }} is now due. If a payment is on its way, or your records differ,
please reply to this e-mail.

Kind regards,
{{ remit_to[0] if remit_to else "Accounts receivable" }}
"""


@dataclass(frozen=True)
class LettersSettings:
    """[letters]: statements of account and dunning letters: the Word templates, who the company is on them, and
    the e-mail that carries each (the dunning letters' templates are named by [dunning] levels)."""

    templates: str = ""
    """A folder of the company's own Word templates (statement.docx ...); "": the ones shipped with ardesk."""
    statement_template: str = "statement.docx"
    """The statement's template, a file in `templates` (or among those shipped)."""
    remit_to: tuple[str, ...] = ()
    """The remit-to block, a line each: `["EPIC06 Inc.", "PO Box 1234", "Chicago, IL 60601"]`."""
    sender: str = ""
    """The e-mail drafts' From address ("": the mail program fills in the user's own when sending)."""
    statement_subject: str = STATEMENT_SUBJECT
    statement_body: str = STATEMENT_BODY
    """The e-mail's subject and text, with the statement's fields in {{ }} as in the Word template."""
    dunning_subject: str = DUNNING_SUBJECT
    dunning_body: str = DUNNING_BODY
    """The same for a dunning letter, with its fields (ardesk.letters.dunning.FIELDS)."""

    def __post_init__(self):
        lines = self.remit_to
        if isinstance(lines, str) or not all(isinstance(line, str) for line in lines):
            raise ArdeskError(f"[letters] remit_to = {lines!r} must be a list of lines, like "
                              '["EPIC06 Inc.", "PO Box 1234", "Chicago, IL 60601"].')
        object.__setattr__(self, "remit_to", tuple(lines))
        for name in ("statement_template", "statement_subject", "statement_body", "dunning_subject", "dunning_body"):
            if not getattr(self, name).strip():
                raise ArdeskError(f"[letters] {name} is empty: give it a value or leave it out for the default.")


@dataclass(frozen=True)
class SmtpSettings:
    """[smtp]: the mail server `--send` hands the e-mails to. The password comes from the environment variable
    `password_env` or the OS keyring (service `keyring_service`, the user `user`), never from this file."""

    host: str = ""
    port: int = 587
    starttls: bool = True
    """Upgrade the connection with STARTTLS before logging in (port 587); false for a server without it."""
    user: str = ""
    """The user to log in as; "" for a server that takes mail without a login (an internal relay)."""
    password_env: str = "ARDESK_SMTP_PASSWORD"
    keyring_service: str = "ardesk-smtp"
    timeout: int = 30

    def __post_init__(self):
        if not _whole(self.port) or not 1 <= self.port <= 65535:
            raise ArdeskError(f"[smtp] port = {self.port!r} must be a port number from 1 to 65535, like 587.")
        if not _whole(self.timeout) or self.timeout < 1:
            raise ArdeskError(f"[smtp] timeout = {self.timeout!r} must be a whole number of seconds above 0, like 30.")


@dataclass(frozen=True)
class DunningLevel:
    """One level of dunning letters: when it goes and what it charges (ardesk.ar.dunning says how it is used)."""

    name: str
    days: int
    """Days past due the oldest dunned item must have reached."""
    wait: int = 0
    """Days since the previous level's letter (0 for the first level)."""
    template: str = ""
    """The letter's Word template: a file name in the letters folder."""
    fee: Decimal = Decimal(0)
    """A fee per letter, in the base currency."""
    interest: Decimal = Decimal(0)
    """Annual interest rate in percent on each dunned item for its days past due (0: none)."""

    @property
    def fee_cents(self) -> int:
        return int(self.fee * 100)


DUNNING_LEVELS = (DunningLevel("Reminder", 7, 0, "reminder.docx"), DunningLevel("Second notice", 30, 14, "second.docx"),
                  DunningLevel("Final demand", 60, 14, "final.docx"))


@dataclass(frozen=True)
class DunningSettings:
    """[dunning]: the levels of dunning letters, in order (`levels = [{ name = "Reminder", days = 7 }, ...]`)."""

    levels: tuple[DunningLevel, ...] = DUNNING_LEVELS

    def __post_init__(self):
        given = self.levels
        example = '[{ name = "Reminder", days = 7, wait = 0, template = "reminder.docx", fee = "0.00", interest = 0 }]'
        if not isinstance(given, (list, tuple)) or not given:
            raise ArdeskError(f"[dunning] levels = {given!r} must list the levels in order, like {example}.")
        levels = []
        for n, level in enumerate(given, 1):
            if isinstance(level, dict):
                unknown = sorted(set(level) - {f.name for f in fields(DunningLevel)})
                if unknown or not {"name", "days"} <= set(level):
                    raise ArdeskError(f"[dunning] level {n} = {level!r} must give name and days (and may give wait, "
                                      f"template, fee and interest), like {example}.")
                level = DunningLevel(**level)
            levels.append(_checked_level(level, n))
        days = [level.days for level in levels]
        if days != sorted(set(days)):
            raise ArdeskError(f"[dunning] levels' days {days} must rise from one level to the next, like 7, 30, 60.")
        if len({level.name.casefold() for level in levels}) < len(levels):
            raise ArdeskError("[dunning] levels must each have a name of their own.")
        object.__setattr__(self, "levels", tuple(levels))


def _checked_level(level: DunningLevel, n: int) -> DunningLevel:
    """`level` with its fee and rate as exact decimals, or the sentence saying which value of level `n` is wrong."""
    if not isinstance(level.name, str) or not level.name.strip():
        raise ArdeskError(f"[dunning] level {n} needs a name, like \"Reminder\".")
    for name in ("days", "wait"):
        value = getattr(level, name)
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 3650:
            raise ArdeskError(f"[dunning] level {n} ({level.name}) {name} = {value!r} must be a whole number of days "
                              "from 0 to 3650.")
    exact = {}
    for name, most in (("fee", Decimal("1e9")), ("interest", Decimal(100))):
        value = getattr(level, name)
        try:
            amount = Decimal(str(value)) if not isinstance(value, bool) else Decimal(-1)
        except ArithmeticError:
            amount = Decimal(-1)
        if not amount.is_finite() or not 0 <= amount <= most or (name == "fee" and amount != round(amount, 2)):
            raise ArdeskError(f"[dunning] level {n} ({level.name}) {name} = {value!r} must be "
                              + ("an amount with at most two decimals, like \"10.00\"." if name == "fee" else
                                 "an annual rate in percent from 0 to 100, like 8."))
        exact[name] = amount
    return replace(level, name=level.name.strip(), template=str(level.template).strip(), **exact)


BUREAU_FIELDS = ("tax_id", "name", "address", "city", "state", "postal_code", "country", "score", "risk_class",
                 "recommended_limit", "days_beyond_terms", "report_date")
"""What ardesk reads from a bureau's export: who the row is about (matched to a customer), then the report."""
_BUREAU_FIGURES = ("score", "risk_class", "recommended_limit", "days_beyond_terms")


@dataclass(frozen=True)
class Bureau:
    """[bureaus.NAME]: how one credit bureau's export reads (`ardesk credit import FILE --bureau NAME`)."""

    name: str
    """The NAME of [bureaus.NAME], as `--bureau` gives it and the reports are stored under."""
    columns: Mapping[str, str]
    """BUREAU_FIELDS -> the export's header for it (compared without regard to case or spacing); a field left out
    is not in this bureau's export. name and report_date are needed, and at least one of the report's figures."""
    ignore: tuple[str, ...] = ()
    """Headers of the export that ardesk does not read (any other header it does not know refuses the file)."""
    date_format: str = "%Y-%m-%d"
    """How the report date is written (Python's strptime codes: %m/%d/%Y for 03/31/2026); ISO dates and real
    Excel dates are always read."""
    score_scale: tuple[int, int] = (0, 100)
    """The bureau's lowest and highest score (the highest the least risk): scores are kept on 0-100."""
    description: str = ""

    def __post_init__(self):
        where = f"[bureaus.{self.name}]"
        example = '{ name = "Company Name", report_date = "Report Date", score = "Score" }'
        columns = self.columns
        if not isinstance(columns, Mapping) or not all(isinstance(v, str) and v.strip() for v in columns.values()) \
                or not all(isinstance(h, str) for h in self.ignore):
            raise ArdeskError(f"{where} columns = {columns!r} must map ardesk's fields to the export's headers, like "
                              f"{example}.")
        unknown = sorted(set(columns) - set(BUREAU_FIELDS))
        if unknown:
            raise ArdeskError(f"{where} columns names {unknown[0]!r}, which ardesk does not read: use "
                              f"{', '.join(BUREAU_FIELDS)}.")
        if not {"name", "report_date"} <= set(columns) or not set(_BUREAU_FIGURES) & set(columns):
            raise ArdeskError(f"{where} columns must give name, report_date and at least one of "
                              f"{', '.join(_BUREAU_FIGURES)}, like {example}.")
        scale = tuple(self.score_scale) if isinstance(self.score_scale, (list, tuple)) else ()
        if len(scale) != 2 or not all(_whole(x) for x in scale) or scale[0] >= scale[1]:
            raise ArdeskError(f"{where} score_scale = {self.score_scale!r} must be the lowest and highest score, like "
                              "[0, 100].")
        try:
            ok = dt.datetime.strptime(dt.date(2026, 12, 31).strftime(self.date_format), self.date_format)
        except (ValueError, TypeError):
            ok = None
        if ok is None or ok.date() != dt.date(2026, 12, 31):
            raise ArdeskError(f"{where} date_format = {self.date_format!r} must write a day, month and year, like "
                              "\"%m/%d/%Y\".")
        object.__setattr__(self, "columns", {k: v.strip() for k, v in columns.items()})
        object.__setattr__(self, "ignore", tuple(h.strip() for h in self.ignore))
        object.__setattr__(self, "score_scale", scale)


BUREAUS = {
    "generic": Bureau(
        "generic",
        {"tax_id": "Tax ID", "name": "Company Name", "address": "Address", "city": "City", "state": "State",
         "postal_code": "Postal Code", "country": "Country", "score": "Score", "risk_class": "Risk Class",
         "recommended_limit": "Recommended Limit", "days_beyond_terms": "Days Beyond Terms",
         "report_date": "Report Date"},
        description="ardesk's own layout: ISO dates, scores 0-100"),
    "dnb": Bureau(
        "dnb",
        {"tax_id": "Federal Tax ID", "name": "Business Name", "address": "Street Address", "city": "City",
         "state": "State/Province", "postal_code": "Postal Code", "country": "Country", "score": "Failure Score",
         "risk_class": "Failure Score Class", "recommended_limit": "Maximum Credit Recommendation",
         "days_beyond_terms": "Days Beyond Terms", "report_date": "Report Date"},
        ignore=("D-U-N-S Number", "Telephone", "PAYDEX"), date_format="%m/%d/%Y", score_scale=(1001, 1875),
        description="modelled on a D&B portfolio export: D-U-N-S, Failure Score 1001-1875, US dates"),
}
"""The bureaus ardesk ships (docs/credit.md says what each models); [bureaus.NAME] in ardesk.toml adds one, or
changes a shipped one's settings."""


def _bureaus(tables: dict, where: str) -> dict[str, Bureau]:
    """BUREAUS with ardesk.toml's [bureaus.NAME] tables laid over them: a shipped bureau keeps what a table does not
    change, a new NAME starts from no columns."""
    bureaus = dict(BUREAUS)
    for name, table in tables.items():
        if not isinstance(table, dict):
            raise ArdeskError(f"{where} [bureaus] {name} = {table!r} must be a table of its own, like [bureaus.{name}].")
        base = bureaus.get(name)
        start = {f.name: getattr(base, f.name) for f in fields(Bureau)} if base else {"name": name, "columns": {}}
        given = {key: tuple(value) if isinstance(value, list) else value for key, value in table.items()}
        bureaus[name] = _section(Bureau, {**start, **given, "name": name}, f"{where} [bureaus.{name}]")
    return bureaus


RETURNED_SUBJECT = "Returned payment: {{ currency }} {{ amount }} of {{ received_on }}, customer {{ customer_id }}"
RETURNED_BODY = """Dear {{ contact_name or "customer" }},

Please find attached our notice of your payment of {{ currency }} {{ amount }} (reference {{ check_ref }}) of
{{ received_on }}, which your bank returned unpaid on {{ returned_on }} ({{ reason | lower }}). The invoices it paid
are open again: please pay {{ currency }} {{ total_due }} by wire or certified funds{% if fee != "0.00" %}, including
our returned-payment fee of {{ currency }} {{ fee }}{% endif %}.

Kind regards,
{{ remit_to[0] if remit_to else "Accounts receivable" }}
"""


@dataclass(frozen=True)
class ReturnsSettings:
    """[returns]: returned payments (bounced cheques, rejected debits): the fee proposed for each, when a customer
    is asked for cash in advance, and the notice letter."""

    fee: Decimal = Decimal(25)
    """The returned-payment fee proposed for each return, base currency: a debit memo to raise (0: none)."""
    cash_in_advance_after: int = 2
    """A customer with this many returns in `months` is flagged for cash in advance (0: never)."""
    months: int = 12
    """How far back a customer's history of returns goes."""
    template: str = "returned_payment.docx"
    """The notice's Word template: a file in [letters] templates (or among those shipped)."""
    subject: str = RETURNED_SUBJECT
    body: str = RETURNED_BODY
    """The notice's e-mail subject and text, with its fields (ardesk.letters.returned.FIELDS) in {{ }}."""

    def __post_init__(self):
        object.__setattr__(self, "fee", _amount(self.fee, "[returns] fee", "25.00"))
        if self.fee != round(self.fee, 2):
            raise ArdeskError(f"[returns] fee = {self.fee} must be an amount in cents, like 25.00.")
        if not _whole(self.cash_in_advance_after) or not 0 <= self.cash_in_advance_after <= 1000:
            raise ArdeskError(f"[returns] cash_in_advance_after = {self.cash_in_advance_after!r} must be a whole "
                              "number of returns from 0 (never) to 1000, like 2.")
        if not _whole(self.months) or not 1 <= self.months <= 12:
            raise ArdeskError(f"[returns] months = {self.months!r} must be a whole number of months from 1 to 12, "
                              "like 12.")
        for name in ("template", "subject", "body"):
            if not getattr(self, name).strip():
                raise ArdeskError(f"[returns] {name} is empty: give it a value or leave it out for the default.")

    @property
    def fee_cents(self) -> int:
        return int(self.fee * 100)


@dataclass(frozen=True)
class ErpSettings:
    profile: str = "epicor"
    """A folder under sql/ with the profile's queries and column map."""
    connect: str = field(default="", repr=False)
    """ODBC connection string or `DSN=name`, without the password (kept out of repr in case one is inline)."""
    password_env: str = "ARDESK_ERP_PASSWORD"
    keyring_service: str = "ardesk"
    company: str = ""
    """Epicor company to read; empty reads every company."""
    connect_timeout: int = 10
    query_timeout: int = 300


@dataclass(frozen=True)
class EscalationSettings:
    """[escalation]: when an account is listed for placement with a collection agency or an attorney (ardesk.ar.
    escalation): its oldest past-due item at least `days_past_due` days past due, the final demand (the last
    [dunning] level) sent at least `final_demand_days` ago, and no promise or payment plan being kept."""

    days_past_due: int = 120
    final_demand_days: int = 14

    def __post_init__(self):
        for name in ("days_past_due", "final_demand_days"):
            value = getattr(self, name)
            if not _whole(value) or value < 0:
                raise ArdeskError(f"[escalation] {name} = {value!r} must be a whole number of days, 0 or more, like "
                                  f"{getattr(EscalationSettings, name)}.")


@dataclass(frozen=True)
class Settings:
    erp: ErpSettings = field(default_factory=ErpSettings)
    aging: AgingSettings = field(default_factory=AgingSettings)
    reports: ReportSettings = field(default_factory=ReportSettings)
    reconcile: ReconcileSettings = field(default_factory=ReconcileSettings)
    notes: NotesSettings = field(default_factory=NotesSettings)
    close: CloseSettings = field(default_factory=CloseSettings)
    writeoffs: WriteOffSettings = field(default_factory=WriteOffSettings)
    credit: CreditSettings = field(default_factory=CreditSettings)
    letters: LettersSettings = field(default_factory=LettersSettings)
    smtp: SmtpSettings = field(default_factory=SmtpSettings)
    dunning: DunningSettings = field(default_factory=DunningSettings)
    bureaus: Mapping[str, Bureau] = field(default_factory=lambda: dict(BUREAUS))
    """[bureaus.NAME]: the credit bureaus whose exports `ardesk credit import` reads."""
    escalation: EscalationSettings = field(default_factory=EscalationSettings)
    returns: ReturnsSettings = field(default_factory=ReturnsSettings)
    base_currency: str = "USD"
    source: str = ""
    """An open-items export file (CSV or XLSX) to read instead of the ERP."""
    backups: int = 5
    """How many earlier versions `ardesk refresh` keeps in ardesk-backups/ beside a workbook (0: none)."""

    def with_overrides(self, **changes) -> "Settings":
        """A copy with values said for one run (None means not said) laid over these. A connection said for
        the run wins over an export file set before, as an export file said for the run wins over a connection."""
        said_erp = {k: v for k, v in changes.pop("erp", {}).items() if v is not None}
        erp = replace(self.erp, **said_erp)
        aging = replace(self.aging, **{k: v for k, v in changes.pop("aging", {}).items() if v is not None})
        reconcile = replace(self.reconcile, **{k: v for k, v in changes.pop("reconcile", {}).items() if v is not None})
        top = {k: v for k, v in changes.items() if v is not None}
        if "connect" in said_erp and "source" not in top:
            top["source"] = ""
        return replace(self, erp=erp, aging=aging, reconcile=reconcile, **top)

    def with_saved(self, saved: Mapping[str, str]) -> "Settings":
        """A copy with what a workbook saved of the settings it was built with (its `_ardesk` sheet) laid over
        these; the password still comes from the environment variable or the keyring these name."""
        erp = replace(self.erp, profile=saved.get("profile") or self.erp.profile, connect=saved.get("connect", ""),
                      company=saved.get("company", ""))
        thresholds = saved.get("thresholds")
        aging = AgingSettings(thresholds=parse_thresholds(thresholds) if thresholds else self.aging.thresholds,
                              basis=saved.get("basis") or self.aging.basis)
        return replace(self, erp=erp, aging=aging, source=saved.get("source", ""),
                       base_currency=saved.get("base_currency") or self.base_currency)


_KINDS = {str: "text in quotes", int: "a whole number", bool: "true or false"}
"""What a plain setting (text, number, switch) must be, as said to whoever wrote ardesk.toml."""


def _section(cls, table: dict, where: str):
    """`cls` from one table of ardesk.toml: unknown names refused, and every plain setting of the type its default
    has (TOML's 42 is no connection string); the dataclass checks the rest."""
    known = {f.name for f in fields(cls)}
    unknown = sorted(set(table) - known)
    if unknown:
        raise ArdeskError(f"{where} has an unknown setting {unknown[0]!r}: the known ones are {', '.join(sorted(known))}.")
    for f in fields(cls):
        kind = type(f.default)
        if f.name in table and kind in _KINDS and not isinstance(table[f.name], kind):
            example = f", like {f.default!r}" if f.default != "" else ""
            raise ArdeskError(f"{where} {f.name} = {table[f.name]!r} must be {_KINDS[kind]}{example}.")
    return cls(**table)


SETTINGS_FILE = "ardesk.toml"


def load(path: str | Path | None = None) -> Settings:
    """Read ardesk.toml: the given path, else ./ardesk.toml, else the defaults."""
    candidate = Path(path) if path else Path(SETTINGS_FILE)
    if not candidate.exists():
        if path:
            raise ArdeskError(f"The settings file {candidate} does not exist: check the path or leave --settings out.")
        return Settings()
    try:
        raw = tomllib.loads(candidate.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ArdeskError(f"The settings file {candidate} is not valid TOML ({exc}): fix that line.") from None
    erp = _section(ErpSettings, raw.pop("erp", {}), f"{candidate} [erp]")
    aging = _section(AgingSettings, raw.pop("aging", {}), f"{candidate} [aging]")
    reports_raw = raw.pop("reports", {})
    if "past_due_days" in reports_raw:
        reports_raw["past_due_days"] = tuple(reports_raw["past_due_days"])
    reports = _section(ReportSettings, reports_raw, f"{candidate} [reports]")
    reconcile_raw = raw.pop("reconcile", {})
    if isinstance(reconcile_raw.get("apply_oldest_customers"), list):
        reconcile_raw["apply_oldest_customers"] = tuple(reconcile_raw["apply_oldest_customers"])
    reconcile = _section(ReconcileSettings, reconcile_raw, f"{candidate} [reconcile]")
    notes = _section(NotesSettings, raw.pop("notes", {}), f"{candidate} [notes]")
    close_raw = raw.pop("close", {})
    if isinstance(close_raw.get("allowance_rates"), list):
        close_raw["allowance_rates"] = tuple(close_raw["allowance_rates"])
    close = _section(CloseSettings, close_raw, f"{candidate} [close]")
    writeoffs = _section(WriteOffSettings, raw.pop("writeoffs", {}), f"{candidate} [writeoffs]")
    credit = _section(CreditSettings, raw.pop("credit", {}), f"{candidate} [credit]")
    letters = _section(LettersSettings, raw.pop("letters", {}), f"{candidate} [letters]")
    smtp = _section(SmtpSettings, raw.pop("smtp", {}), f"{candidate} [smtp]")
    dunning = _section(DunningSettings, raw.pop("dunning", {}), f"{candidate} [dunning]")
    bureaus = _bureaus(raw.pop("bureaus", {}), str(candidate))
    escalation = _section(EscalationSettings, raw.pop("escalation", {}), f"{candidate} [escalation]")
    returns = _section(ReturnsSettings, raw.pop("returns", {}), f"{candidate} [returns]")
    top = {k: v for k, v in raw.items() if not isinstance(v, dict)}
    if set(raw) - set(top):
        raise ArdeskError(
            f"{candidate} has an unknown section [{sorted(set(raw) - set(top))[0]}]: "
            "use [erp], [aging], [reports], [reconcile], [notes], [close], [writeoffs], [credit], [letters], [smtp], "
            "[dunning], [escalation], [returns] and [bureaus.NAME]."
        )
    settings = _section(Settings, {**top, "erp": erp, "aging": aging, "reports": reports, "reconcile": reconcile,
                                      "notes": notes, "close": close, "writeoffs": writeoffs, "credit": credit,
                                      "letters": letters, "smtp": smtp, "dunning": dunning, "escalation": escalation,
                                      "returns": returns, "bureaus": bureaus},
                        str(candidate))
    if settings.source and not Path(settings.source).is_absolute():  # a scheduled run starts in another folder
        settings = replace(settings, source=str(candidate.resolve().parent / settings.source))
    if settings.letters.templates and not Path(settings.letters.templates).is_absolute():
        folder = str(candidate.resolve().parent / settings.letters.templates)
        settings = replace(settings, letters=replace(settings.letters, templates=folder))
    return settings


def resolve(file: str | Path | None = None, saved: Mapping[str, str] | None = None,
            overrides: Mapping | None = None) -> Settings:
    """The settings one action runs with, in the one order ardesk knows: the defaults, under ardesk.toml
    (`file`, else ./ardesk.toml), under the workbook's own saved settings (`saved`: what its hidden `_ardesk`
    sheet keeps), under what was said for this run (`overrides`: command-line options or
    the ribbon's; None for a value not said). Both front doors call this once; jobs never re-read settings."""
    settings = load(file)
    if saved is not None:
        settings = settings.with_saved(saved)
    return settings.with_overrides(**overrides) if overrides else settings
