"""The X budget, one rule for every X action Vigie takes (a post, a follow, an account looked
up): refused before X is asked when it would take this month's estimated spend past
`VIGIE_X_MONTHLY_BUDGET_USD`. Spend is counted per UTC day and month in Redis
(bot.store.xstate) as X answers."""

from __future__ import annotations

import time

from bot.model import OverBudget
from bot.services import Services
from bot.sources.x import MICRO_USD, SearchResult


async def check(services: Services, cost: int, now: float | None = None) -> None:
    """Raise OverBudget (with the figures) when an action costing `cost` micro-dollars would
    pass the month's budget; nothing without a budget."""
    budget = services.settings.x_monthly_budget_usd
    if budget is None:
        return
    month = time.strftime("%Y-%m", time.gmtime(now or time.time()))
    spent = (await services.store.x.costs(month)).get("total:micro_usd", 0)
    limit = round(budget * 1_000_000)
    if spent + cost > limit:
        raise OverBudget(spent, cost, limit)


async def charge_reads(services: Services, result: SearchResult) -> None:
    """Count what X bills for a search or a timeline read: the posts and users it returned."""
    costs = services.store.x
    await costs.add_cost("post_read", result.posts_read, result.posts_read * MICRO_USD["post_read"])
    await costs.add_cost("user_read", result.users_read, result.users_read * MICRO_USD["user_read"])
