//! Lists that run on generic plans.

use sqlx::{PgPool, Postgres, Transaction};

/// A read-only unit of work whose statements run on their generic plan.
///
/// PostgreSQL plans a prepared statement anew for each execution as long as a plan made for the
/// values looks cheaper than the generic one. For the lists' queries (an array of organizations, a
/// limit) it always does, yet the generic plan reads the same index entries, and planning took
/// longer than running: 1.4 ms against 0.6 for a Machtigingen page at 1,000,000 authorizations,
/// 0.7 against 0.6 for the first page of Gebruikers and 1.0 against 0.2 for a search there, at
/// 100,000 users (EXPLAIN ANALYZE, docs/benchmarks.md). Only for queries written one statement per
/// shape: those with `$n IS NULL OR ...` need the plan made for their values. `BEGIN` and
/// `SET LOCAL` go in one round trip.
pub async fn generic_plans(pool: &PgPool) -> Result<Transaction<'static, Postgres>, sqlx::Error> {
    pool.begin_with("BEGIN; SET LOCAL plan_cache_mode = force_generic_plan")
        .await
}
