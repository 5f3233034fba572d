"""Collections KPIs (DSO, countback DSO, best possible DSO, average days delinquent, CEI): the public API."""
from ardesk.ar.kpis import average_days_delinquent, best_possible_dso, cei, countback_dso, dso

__all__ = ["average_days_delinquent", "best_possible_dso", "cei", "countback_dso", "dso"]
