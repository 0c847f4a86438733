//! Beheer > Machtigingen against a real Postgres: the overview's filters and keyset paging, the
//! export, revoking with its rules (the manager's organizations and level, the last manager, a
//! revoked one stays revoked), the messages and the audit record; and another organization's
//! ids answering exactly like missing ones.

mod common;

use app::api::authorizations::{AuthorizationFilter, AuthorizationRow, AuthorizationsCursor};
use app::api::ApiError;
use app::domain::authorization::State;
use app::domain::codes::{Field, Rule};
use app::domain::ids::{AuthorizationId, OrgId, ServiceId};
use app::domain::level::AssuranceLevel;
use app::server::authorizations::{self, export};
use app::server::demo::{MANAGER, USER};
use app::server::session::Manager;
use app::server::AppState;
use common::{api, second_manager, sign_in, state};
use sqlx::PgPool;
use uuid::Uuid;

async fn manager(state: &AppState) -> Manager {
    let (_, user) = sign_in(state, MANAGER).await;
    user.manager().unwrap()
}

async fn org(pool: &PgPool, kvk: &str) -> Uuid {
    sqlx::query_scalar("SELECT id FROM organizations WHERE kvk_number = $1")
        .bind(kvk)
        .fetch_one(pool)
        .await
        .unwrap()
}

const BAKKERIJ: &str = "34123456";
const BERG: &str = "56789012";
const NOORD: &str = "70123456";

/// Every row the filter shows, page by page; checks that no row comes twice.
async fn all_pages(
    pool: &PgPool,
    m: &Manager,
    filter: &AuthorizationFilter,
) -> Vec<AuthorizationRow> {
    let mut rows = Vec::new();
    let mut after: Option<AuthorizationsCursor> = None;
    loop {
        let page = authorizations::list(pool, m, filter, after.as_ref())
            .await
            .unwrap();
        assert!(page.rows.len() <= app::api::authorizations::PAGE_SIZE);
        rows.extend(page.rows);
        match page.next {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    let mut ids: Vec<_> = rows.iter().map(|r| r.id.clone()).collect();
    ids.sort_by(|a, b| a.as_str().cmp(b.as_str()));
    ids.dedup();
    assert_eq!(ids.len(), rows.len(), "a row came twice");
    rows
}

async fn count(pool: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn the_overview_pages_through_exactly_the_managed_organizations_authorizations(pool: PgPool) {
    let state = state(pool).await;
    let m = manager(&state).await;
    let (bakkerij, berg) = (
        org(&state.pool, BAKKERIJ).await,
        org(&state.pool, BERG).await,
    );
    let expected = count(
        &state.pool,
        &format!(
            "SELECT count(*) FROM authorizations WHERE org_id IN ('{bakkerij}', '{berg}')
               AND state IN ('active', 'pending')"
        ),
    )
    .await;
    assert!(expected > 25, "more than one page");
    let rows = all_pages(&state.pool, &m, &AuthorizationFilter::default()).await;
    assert_eq!(rows.len() as i64, expected);
    // Ordered by the user's name, as the pages were walked.
    assert!(rows
        .iter()
        .all(|r| r.organization != "Zorggroep Noord" && !r.state.is_inactive()));
    // The manager's own: the manager's right and all services, in both organizations.
    let eva: Vec<_> = rows
        .iter()
        .filter(|r| r.user_name == "Eva Jansen")
        .collect();
    assert_eq!(eva.len(), 4);
    assert_eq!(eva.iter().filter(|r| r.is_admin).count(), 2);
    assert!(eva.iter().any(|r| !r.is_admin && r.service.is_none()));
    assert!(rows.iter().all(|r| r.valid_from < r.valid_until));
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn each_filter_narrows_the_overview(pool: PgPool) {
    let state = state(pool).await;
    let m = manager(&state).await;
    let bakkerij = org(&state.pool, BAKKERIJ).await;
    let all = all_pages(&state.pool, &m, &AuthorizationFilter::default()).await;

    let only = |f: AuthorizationFilter| {
        let (pool, m) = (state.pool.clone(), m.clone());
        async move { all_pages(&pool, &m, &f).await }
    };
    let in_bakkerij = only(AuthorizationFilter {
        org_id: Some(OrgId::from(bakkerij)),
        ..Default::default()
    })
    .await;
    assert!(!in_bakkerij.is_empty() && in_bakkerij.len() < all.len());
    assert!(in_bakkerij
        .iter()
        .all(|r| r.organization == "Bakkerij De Vries B.V."));

    let pieter = only(AuthorizationFilter {
        user: "van dam".into(),
        ..Default::default()
    })
    .await;
    assert_eq!(pieter.len(), 1);
    assert_eq!(pieter[0].level, AssuranceLevel::Eh2);

    let eh2 = only(AuthorizationFilter {
        level: Some(AssuranceLevel::Eh2),
        ..Default::default()
    })
    .await;
    assert_eq!(eh2, pieter);

    let service: Uuid =
        sqlx::query_scalar("SELECT service_uuid FROM services ORDER BY service_uuid LIMIT 1")
            .fetch_one(&state.pool)
            .await
            .unwrap();
    let of_service = only(AuthorizationFilter {
        service: Some(ServiceId::from(service)),
        ..Default::default()
    })
    .await;
    assert_eq!(of_service.len(), 40, "the generated users' service");

    // Expired and revoked ones only on request.
    sqlx::query("UPDATE authorizations SET state = 'expired' WHERE id = (SELECT z.id FROM authorizations z JOIN users u ON u.id = z.user_id WHERE u.username = $1)")
        .bind(USER.0)
        .execute(&state.pool)
        .await
        .unwrap();
    assert!(only(AuthorizationFilter {
        user: "van dam".into(),
        ..Default::default()
    })
    .await
    .is_empty());
    let inactive = only(AuthorizationFilter {
        user: "van dam".into(),
        include_inactive: true,
        ..Default::default()
    })
    .await;
    assert_eq!(inactive.len(), 1);
    assert_eq!(inactive[0].state, State::Expired);
    let expired = only(AuthorizationFilter {
        state: Some(State::Expired),
        ..Default::default()
    })
    .await;
    assert_eq!(expired, inactive);

    let long = AuthorizationFilter {
        user: "x".repeat(101),
        ..Default::default()
    };
    assert_eq!(
        api(authorizations::list(&state.pool, &m, &long, None)
            .await
            .unwrap_err()),
        ApiError::validation(Field::Search, Rule::TooLong)
    );
}

/// The ids the overview should show for `search`, in its order (the user's name, the user, the
/// authorization), read the plain way: every user's words split anew (`user_matches_by_words`,
/// the definition `user_matches` answers quicker).
async fn expected_order(pool: &PgPool, orgs: &[Uuid], search: &str) -> Vec<AuthorizationId> {
    let ids: Vec<Uuid> = sqlx::query_scalar(
        "SELECT z.id FROM authorizations z JOIN users u ON u.id = z.user_id
          WHERE z.org_id = ANY($1) AND z.state IN ('active', 'pending')
            AND user_matches_by_words(u, search_words($2))
          ORDER BY u.sort_key, u.id, z.id",
    )
    .bind(orgs)
    .bind(search)
    .fetch_all(pool)
    .await
    .unwrap();
    ids.into_iter().map(AuthorizationId::from).collect()
}

/// The demo data with `count` generated authorizations in the demo manager's organizations, and
/// fresh statistics (the planner's choices are what the overview's tests are about).
async fn with_generated_authorizations(
    pool: PgPool,
    count: i64,
    tag: &str,
) -> (AppState, Manager, Vec<Uuid>) {
    let state = state(pool).await;
    let m = manager(&state).await;
    let orgs = m.orgs().to_vec();
    let mut conn = state.pool.acquire().await.unwrap();
    app::server::demo::add_generated_authorizations(&mut conn, &orgs, count, tag)
        .await
        .unwrap();
    drop(conn);
    sqlx::query("ANALYZE").execute(&state.pool).await.unwrap();
    (state, m, orgs)
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn a_search_matches_the_beginnings_of_words_in_any_order_and_pages_in_name_order(
    pool: PgPool,
) {
    // 22,000 users: 1,100 named Sara, 55 of them Sara Vermeulen (a last name near the end of the
    // alphabet), first names spread over it; e-mail addresses many.<n>@example.nl.
    let (state, m, orgs) = with_generated_authorizations(pool, 110_000, "many").await;
    let mut found = std::collections::HashMap::new();
    for search in [
        "sara",
        "sara vermeulen",
        "vermeulen sara",
        "Vermeulen, S.",
        "vermeulen sara s",
        "Pieter  van",
        "vermeulen",
        "sa",
        "v",
        "ara",
        "many.21999",
    ] {
        let rows = all_pages(
            &state.pool,
            &m,
            &AuthorizationFilter {
                user: search.into(),
                ..Default::default()
            },
        )
        .await;
        let shown: Vec<_> = rows.iter().map(|r| r.id.clone()).collect();
        let expected = expected_order(&state.pool, &orgs, search).await;
        assert_eq!(shown, expected, "{search}");
        let users: std::collections::HashSet<_> = rows.into_iter().map(|r| r.user_id).collect();
        found.insert(search, (shown, users.len()));
    }
    // Any order; punctuation is no word of its own.
    assert_eq!(found["sara vermeulen"].1, 55);
    assert_eq!(found["vermeulen sara"], found["sara vermeulen"]);
    assert_eq!(found["Vermeulen, S."].1, 3 * 55, "Sanne, Sem and Sara");
    assert_eq!(found["vermeulen sara s"], found["sara vermeulen"]);
    assert!(
        found["sara"].1 >= 1_100,
        "the generated Saras and the demo's"
    );
    // A word must begin a word of the user: nobody's name begins with "ara".
    assert_eq!(found["ara"].1, 0);
    // The e-mail address's words: many.21999@..., whose number no other begins with.
    assert_eq!(found["many.21999"].1, 1);
}

/// A small, seeded generator of names and searches (xorshift), so a failure is found again.
struct Texts(u64);

impl Texts {
    /// Pieces that try the quick match's edges: capitals, accents, letters unaccent turns into two
    /// (ß, æ, Ĳ), other scripts, digits, punctuation and spaces between or inside words.
    const PIECES: [&'static str; 36] = [
        "de", "De", "van", "Vries", "jan", "Jan-Piet", "sa", "ra", "a", "ö", "Öz", "é", "El", "l'",
        "O'Brien", "ß", "Straße", "æ", "Ĳ", "ij", "Σ", "σ", "ña", "1", "x2", "07", ".", "@", "-",
        " ", "  ", "'", "_", "(", "+", "ǅ",
    ];

    fn next(&mut self) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 as usize
    }

    /// One to `most` pieces, only plain ASCII ones if `ascii`.
    fn text(&mut self, most: usize, ascii: bool) -> String {
        let n = 1 + self.next() % most;
        let mut pieces = 0;
        let mut text = String::new();
        while pieces < n {
            let piece = Self::PIECES[self.next() % Self::PIECES.len()];
            if !ascii || piece.is_ascii() {
                text.push_str(piece);
                pieces += 1;
            }
        }
        text
    }
}

/// `user_matches` reads the search text with one pattern when both sides are plain ASCII
/// (migration 0016); it must answer exactly as its definition, the user's words split
/// (`user_matches_by_words`), for every user and search, ASCII or not.
#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn the_quick_match_answers_as_the_words_do(pool: PgPool) {
    let mut texts = Texts(0x9e37_79b9_7f4a_7c15);
    let (mut first, mut infix, mut last, mut email) = (vec![], vec![], vec![], vec![]);
    // Half the users plain ASCII (read by the pattern), half not (split into words).
    for i in 0..500 {
        let ascii = i % 2 == 0;
        first.push(texts.text(3, ascii));
        infix.push(if texts.next().is_multiple_of(3) {
            texts.text(2, ascii)
        } else {
            String::new()
        });
        last.push(texts.text(3, ascii));
        email.push(format!(
            "{}@{}.nl",
            texts.text(2, ascii),
            texts.text(1, ascii)
        ));
    }
    sqlx::query(
        "INSERT INTO users (first_name, infix, last_name, email, mobile, level)
         SELECT f, i, l, e, '+31612345000', 'EH3' FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS t(f, i, l, e)",
    )
    .bind(&first)
    .bind(&infix)
    .bind(&last)
    .bind(&email)
    .execute(&pool)
    .await
    .unwrap();
    let mut searches: Vec<String> = (0..200).map(|i| texts.text(3, i % 2 == 0)).collect();
    searches.extend(
        [
            "de",
            "vries jan",
            "oz",
            "ss",
            "strasse",
            "ae",
            "ij",
            "1",
            "x",
            "@",
            "(",
            "a b",
        ]
        .map(String::from),
    );
    // The overview's words: those of `search_words`, or, when it leaves none, the search as typed.
    let (differ, ascii_hits, other_hits): (i64, i64, i64) = sqlx::query_as(
        "WITH s AS (SELECT CASE WHEN cardinality(search_words(s)) = 0 THEN ARRAY[btrim(s)]
                                ELSE search_words(s) END AS terms FROM unnest($1::text[]) AS s),
              m AS (SELECT u.search_text ~ '^[ -~]*$' AS ascii, user_matches(u, s.terms) AS quick,
                           user_matches_by_words(u, s.terms) AS words
                      FROM users u, s)
         SELECT count(*) FILTER (WHERE quick IS DISTINCT FROM words),
                count(*) FILTER (WHERE words AND ascii), count(*) FILTER (WHERE words AND NOT ascii)
           FROM m",
    )
    .bind(&searches)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        differ, 0,
        "users and searches on which the quick match differs"
    );
    // The generated texts hit both ways of matching often, so the comparison means something.
    assert!(ascii_hits > 1_000, "{ascii_hits}");
    assert!(other_hits > 1_000, "{other_hits}");
}

/// A search of plain ASCII is split into words without asking the database; the words must be
/// those `search_words` gives, for every ASCII character between, around and inside words.
#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn an_ascii_search_is_split_as_the_database_splits_it(pool: PgPool) {
    let mut searches: Vec<String> = (1u8..128)
        .map(|c| format!("Ab{0}cD{0}{0}9 x{0}", c as char))
        .collect();
    let mut texts = Texts(0x2545_f491_4f6c_dd1d);
    searches.extend((0..300).map(|_| texts.text(6, true)));
    searches.extend(["", " ", "...", "Vermeulen, S.", "many.21999", "a--b"].map(String::from));
    let expected: Vec<(String, Vec<String>)> =
        sqlx::query_as("SELECT s, search_words(s) FROM unnest($1::text[]) AS s")
            .bind(&searches)
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(expected.len(), searches.len());
    for (search, mut words) in expected {
        let mut ours = app::server::search::ascii_words(&search).expect("plain ASCII");
        ours.sort();
        ours.dedup();
        words.sort();
        assert_eq!(ours, words, "{search:?}");
    }
    assert_eq!(app::server::search::ascii_words("Özdemir"), None);
}

/// The words of a search and of a user are compared without case or accents, and follow a change
/// of the user's name.
#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn a_search_ignores_case_and_accents_and_follows_a_new_name(pool: PgPool) {
    let state = state(pool).await;
    let m = manager(&state).await;
    let bakkerij = org(&state.pool, BAKKERIJ).await;
    let user: Uuid = sqlx::query_scalar(
        "INSERT INTO users (first_name, infix, last_name, email, mobile, level)
         VALUES ('Élodie', '', 'Özdemir', 'elodie@bakkerij.example', '+31612345000', 'EH3')
         RETURNING id",
    )
    .fetch_one(&state.pool)
    .await
    .unwrap();
    sqlx::query("INSERT INTO memberships (user_id, org_id) VALUES ($1, $2)")
        .bind(user)
        .bind(bakkerij)
        .execute(&state.pool)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO authorizations (user_id, org_id, kind, level, valid_from, valid_until, state)
         VALUES ($1, $2, 'all_services', 'EH3', now(), now() + interval '1 year', 'active')",
    )
    .bind(user)
    .bind(bakkerij)
    .execute(&state.pool)
    .await
    .unwrap();
    let names = |search: &'static str| {
        let (pool, m) = (state.pool.clone(), m.clone());
        async move {
            let filter = AuthorizationFilter {
                user: search.into(),
                ..Default::default()
            };
            let rows = all_pages(&pool, &m, &filter).await;
            rows.into_iter().map(|r| r.user_name).collect::<Vec<_>>()
        }
    };
    for search in [
        "ozdemir",
        "ÖZD",
        "elodie oz",
        "Özdemir Élodie",
        "elodie@bakkerij",
        "oz",
        "El o",
    ] {
        assert_eq!(names(search).await, ["Élodie Özdemir"], "{search}");
    }
    assert!(names("demir").await.is_empty());

    sqlx::query("UPDATE users SET last_name = 'Kaya' WHERE id = $1")
        .bind(user)
        .execute(&state.pool)
        .await
        .unwrap();
    assert_eq!(names("élodie kaya").await, ["Élodie Kaya"]);
    assert!(names("elodie ozdemir").await.is_empty());
}

/// Without a search, the overview walks the authorizations' own copy of the user's sort key
/// (`authorizations_by_name`): each filter alone pages in exactly the order of the users' names,
/// read the plain way, over many users with the same name; "Verloopt binnenkort" merges the
/// 30-day periods its end dates fall in.
#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn each_filter_without_a_search_pages_in_the_users_name_order(pool: PgPool) {
    let (state, m, orgs) = with_generated_authorizations(pool, 20_000, "filters").await;
    let berg = org(&state.pool, BERG).await;
    let service: Uuid = sqlx::query_scalar(
        "SELECT service_uuid FROM authorizations WHERE service_uuid IS NOT NULL
          GROUP BY service_uuid ORDER BY count(*) DESC, service_uuid LIMIT 1",
    )
    .fetch_one(&state.pool)
    .await
    .unwrap();
    let cases = [
        (
            AuthorizationFilter::default(),
            "z.state IN ('active', 'pending')".to_string(),
        ),
        (
            AuthorizationFilter {
                org_id: Some(OrgId::from(berg)),
                ..Default::default()
            },
            format!("z.state IN ('active', 'pending') AND z.org_id = '{berg}'"),
        ),
        (
            AuthorizationFilter {
                service: Some(ServiceId::from(service)),
                ..Default::default()
            },
            format!("z.state IN ('active', 'pending') AND z.service_uuid = '{service}'"),
        ),
        (
            AuthorizationFilter {
                level: Some(AssuranceLevel::Eh2),
                include_inactive: true,
                ..Default::default()
            },
            "z.level = 'EH2'".to_string(),
        ),
        (
            AuthorizationFilter {
                state: Some(State::Revoked),
                ..Default::default()
            },
            "z.state = 'revoked'".to_string(),
        ),
        (
            AuthorizationFilter {
                ending_within_days: Some(30),
                ..Default::default()
            },
            "z.state = 'active' AND z.valid_until < now() + interval '30 days'".to_string(),
        ),
        // Several 30-day periods, merged (authorizations_ending_by_name), with another filter.
        (
            AuthorizationFilter {
                ending_within_days: Some(90),
                ..Default::default()
            },
            "z.state = 'active' AND z.valid_until < now() + interval '90 days'".to_string(),
        ),
        (
            AuthorizationFilter {
                ending_within_days: Some(60),
                org_id: Some(OrgId::from(berg)),
                ..Default::default()
            },
            format!(
                "z.state = 'active' AND z.valid_until < now() + interval '60 days'
                 AND z.org_id = '{berg}'"
            ),
        ),
    ];
    // Active ones whose end passed while the expiry job did not run are ending too, from an
    // earlier period.
    let stale = sqlx::query(
        "UPDATE authorizations SET valid_until = now() - interval '75 days'
          WHERE id IN (SELECT id FROM authorizations WHERE state = 'active' AND org_id = ANY($1)
                        ORDER BY id LIMIT 40)",
    )
    .bind(&orgs)
    .execute(&state.pool)
    .await
    .unwrap();
    assert_eq!(stale.rows_affected(), 40);
    for (filter, condition) in cases {
        let expected: Vec<Uuid> = sqlx::query_scalar(&format!(
            "SELECT z.id FROM authorizations z JOIN users u ON u.id = z.user_id
              WHERE z.org_id = ANY($1) AND {condition}
              ORDER BY u.sort_key, u.id, z.id"
        ))
        .bind(&orgs)
        .fetch_all(&state.pool)
        .await
        .unwrap();
        assert!(expected.len() > 25, "more than a page: {condition}");
        let shown: Vec<Uuid> = all_pages(&state.pool, &m, &filter)
            .await
            .into_iter()
            .map(|r| r.id.uuid())
            .collect();
        assert_eq!(shown, expected, "{condition}");
    }
    // The export reads the same order in batches of thousands: all of it, once, in order.
    let all = all_pages(&state.pool, &m, &AuthorizationFilter::default()).await;
    assert!(all.len() > 10_000, "more than two batches");
    let file = export_file(&state, &m, AuthorizationFilter::default()).await;
    let exported: Vec<String> = app::domain::csv::records(&file, ';')
        .into_iter()
        .skip(1)
        .map(|r| format!("{} {} {}", r[1], r[7], r[8]))
        .collect();
    let shown: Vec<String> = all
        .iter()
        .map(|r| {
            format!(
                "{} {} {}",
                r.user_email,
                r.valid_from.to_dutch(),
                r.valid_until.to_dutch()
            )
        })
        .collect();
    assert_eq!(exported, shown);
}

/// The whole export file, as the browser receives it.
async fn export_file(state: &AppState, m: &Manager, filter: AuthorizationFilter) -> String {
    use futures_util::StreamExt;
    let mut chunks = export::start(state.pool.clone(), m.clone(), filter, "nl").unwrap();
    let mut file = String::new();
    while let Some(chunk) = chunks.next().await {
        file.push_str(&chunk.unwrap());
    }
    file
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn a_renamed_user_moves_in_the_overview(pool: PgPool) {
    let state = state(pool).await;
    let m = manager(&state).await;
    let first = |rows: Vec<AuthorizationRow>| rows.into_iter().next().unwrap().user_name;
    let page = authorizations::list(&state.pool, &m, &AuthorizationFilter::default(), None)
        .await
        .unwrap();
    assert_ne!(first(page.rows), "Pieter Aaaa");
    sqlx::query("UPDATE users SET last_name = 'Aaaa', infix = '' WHERE username = $1")
        .bind(USER.0)
        .execute(&state.pool)
        .await
        .unwrap();
    let page = authorizations::list(&state.pool, &m, &AuthorizationFilter::default(), None)
        .await
        .unwrap();
    assert_eq!(first(page.rows), "Pieter Aaaa");
    let expected = expected_order(&state.pool, m.orgs(), "").await;
    let shown: Vec<_> = all_pages(&state.pool, &m, &AuthorizationFilter::default())
        .await
        .into_iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(shown, expected);
}

/// An authorization of `username` in the organization with KvK number `kvk`.
async fn authorization_of(pool: &PgPool, username: &str, kvk: &str, kind: &str) -> AuthorizationId {
    let id: Uuid = sqlx::query_scalar(
        "SELECT z.id FROM authorizations z JOIN users u ON u.id = z.user_id
           JOIN organizations o ON o.id = z.org_id
          WHERE u.username = $1 AND o.kvk_number = $2 AND z.kind = $3",
    )
    .bind(username)
    .bind(kvk)
    .bind(kind)
    .fetch_one(pool)
    .await
    .unwrap();
    id.into()
}

async fn state_of(pool: &PgPool, id: &AuthorizationId) -> String {
    sqlx::query_scalar("SELECT state FROM authorizations WHERE id = $1")
        .bind(id.uuid())
        .fetch_one(pool)
        .await
        .unwrap()
}

/// A second manager of Bakkerij De Vries (EH3), so the demo manager is not the last one.
#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn revoking_ends_the_authorization_for_good_and_tells_the_user_and_the_other_managers(
    pool: PgPool,
) {
    let state = state(pool).await;
    let m = manager(&state).await;
    second_manager(&state.pool).await;
    let pieter = authorization_of(&state.pool, USER.0, BAKKERIJ, "all_services").await;
    let outbox_before = count(&state.pool, "SELECT count(*) FROM outbox").await;

    authorizations::revoke(&state, &m, &pieter).await.unwrap();
    assert_eq!(state_of(&state.pool, &pieter).await, "revoked");
    // The user, in their language, and the other manager (Kees, in English); not the manager
    // who did it.
    let mails: Vec<(String, String)> =
        sqlx::query_as("SELECT recipient, subject FROM outbox ORDER BY id OFFSET $1")
            .bind(outbox_before)
            .fetch_all(&state.pool)
            .await
            .unwrap();
    assert_eq!(
        mails,
        vec![
            (
                "pieter.vandam@bakkerij-devries.nl".to_string(),
                "Uw machtiging voor Bakkerij De Vries B.V. is ingetrokken".to_string()
            ),
            (
                "kees@example.nl".to_string(),
                "Authorization of Pieter van Dam revoked".to_string()
            ),
        ]
    );
    let (actor, details): (Uuid, serde_json::Value) = sqlx::query_as(
        "SELECT actor_id, details FROM audit_log WHERE action = 'authorization.revoked'",
    )
    .fetch_one(&state.pool)
    .await
    .unwrap();
    assert_eq!(actor, m.user_id());
    assert_eq!(details["authorization_id"], pieter.as_str());

    // Revoked stays revoked; an expired one cannot be revoked either.
    assert_eq!(
        api(authorizations::revoke(&state, &m, &pieter)
            .await
            .unwrap_err()),
        ApiError::validation(Field::Authorization, Rule::AlreadyEnded)
    );
    let eva_all = authorization_of(&state.pool, MANAGER.0, BERG, "all_services").await;
    sqlx::query("UPDATE authorizations SET state = 'expired' WHERE id = $1")
        .bind(eva_all.uuid())
        .execute(&state.pool)
        .await
        .unwrap();
    assert_eq!(
        api(authorizations::revoke(&state, &m, &eva_all)
            .await
            .unwrap_err()),
        ApiError::validation(Field::Authorization, Rule::AlreadyEnded)
    );
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn an_organization_never_loses_its_last_manager_by_a_revoke(pool: PgPool) {
    let state = state(pool).await;
    let m = manager(&state).await;
    // Berg Advies has one manager: the demo manager.
    let own_right = authorization_of(&state.pool, MANAGER.0, BERG, "admin").await;
    let before = count(&state.pool, "SELECT count(*) FROM outbox").await;
    assert_eq!(
        api(authorizations::revoke(&state, &m, &own_right)
            .await
            .unwrap_err()),
        ApiError::validation(Field::Authorization, Rule::LastManager)
    );
    assert_eq!(state_of(&state.pool, &own_right).await, "active");
    assert_eq!(
        count(&state.pool, "SELECT count(*) FROM outbox").await,
        before
    );
    // With a second manager, Bakkerij's can go.
    second_manager(&state.pool).await;
    let bakkerij_right = authorization_of(&state.pool, MANAGER.0, BAKKERIJ, "admin").await;
    authorizations::revoke(&state, &m, &bakkerij_right)
        .await
        .unwrap();
    assert_eq!(state_of(&state.pool, &bakkerij_right).await, "revoked");
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn a_manager_cannot_revoke_above_their_own_level(pool: PgPool) {
    let state = state(pool).await;
    let m = manager(&state).await; // EH3
    let eh4: Uuid = sqlx::query_scalar(
        "UPDATE authorizations SET level = 'EH4'
          WHERE id = (SELECT z.id FROM authorizations z JOIN users u ON u.id = z.user_id
                       WHERE u.email LIKE 'demo.%' ORDER BY z.id LIMIT 1)
         RETURNING id",
    )
    .fetch_one(&state.pool)
    .await
    .unwrap();
    let eh4 = AuthorizationId::from(eh4);
    assert_eq!(
        api(authorizations::revoke(&state, &m, &eh4).await.unwrap_err()),
        ApiError::validation(Field::Authorization, Rule::AboveOwnLevel)
    );
    assert_eq!(state_of(&state.pool, &eh4).await, "active");
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn another_organizations_authorizations_answer_exactly_like_missing_ones(pool: PgPool) {
    let state = state(pool).await;
    let m = manager(&state).await;
    let noord = org(&state.pool, NOORD).await;
    let theirs: Uuid =
        sqlx::query_scalar("SELECT id FROM authorizations WHERE org_id = $1 LIMIT 1")
            .bind(noord)
            .fetch_one(&state.pool)
            .await
            .unwrap();
    let missing = Uuid::new_v4();
    for id in [theirs, missing] {
        assert_eq!(
            api(authorizations::revoke(&state, &m, &id.into())
                .await
                .unwrap_err()),
            ApiError::NotFound
        );
        let page = authorizations::list(
            &state.pool,
            &m,
            &AuthorizationFilter {
                org_id: Some(OrgId::from(id)),
                include_inactive: true,
                ..Default::default()
            },
            None,
        )
        .await
        .unwrap();
        assert!(page.rows.is_empty() && page.next.is_none());
    }
    let page = authorizations::list(
        &state.pool,
        &m,
        &AuthorizationFilter {
            org_id: Some(OrgId::from(noord)),
            ..Default::default()
        },
        None,
    )
    .await
    .unwrap();
    assert!(page.rows.is_empty());
    assert_eq!(
        count(&state.pool, &format!("SELECT count(*) FROM authorizations WHERE org_id = '{noord}' AND state = 'revoked'")).await,
        0
    );
    // A user who manages nothing gets no manager at all.
    let (_, user) = sign_in(&state, USER).await;
    assert_eq!(user.manager().unwrap_err(), ApiError::Forbidden);
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn the_export_holds_what_the_filter_shows_as_a_dutch_spreadsheet_opens_it(pool: PgPool) {
    let state = state(pool).await;
    let m = manager(&state).await;
    // A user whose name would run as a formula in a spreadsheet.
    sqlx::query(
        "UPDATE users SET first_name = '=HYPERLINK(\"http://evil.example\")' WHERE username = $1",
    )
    .bind(USER.0)
    .execute(&state.pool)
    .await
    .unwrap();
    let filter = AuthorizationFilter::default();
    let shown = all_pages(&state.pool, &m, &filter).await;
    let file = export_file(&state, &m, filter).await;
    assert!(file.starts_with("\u{feff}Gebruiker;E-mailadres;Organisatie;Dienst;Beheerder;Niveau;Vestiging;Geldig van;Geldig tot;Status\r\n"));
    let rows = app::domain::csv::records(&file, ';');
    assert_eq!(rows.len() - 1, shown.len());
    let pieter = rows
        .iter()
        .find(|r| r[1] == "pieter.vandam@bakkerij-devries.nl")
        .unwrap();
    assert!(pieter[0].starts_with("'=HYPERLINK"), "{pieter:?}");
    assert_eq!(pieter[3], "alle diensten");
    assert_eq!(pieter[5], "EH2");
    assert_eq!(pieter[9], "actief");
    assert!(rows
        .iter()
        .skip(1)
        .any(|r| r[4] == "ja" && r[3].contains("beheer")));
    // A filter that is too long answers before anything is written.
    assert!(export::start(
        state.pool.clone(),
        m,
        AuthorizationFilter {
            user: "x".repeat(101),
            ..Default::default()
        },
        "nl"
    )
    .is_err());
}

// ---------------------------------------------------------------------------------------------
// Renewing, activating and "Verloopt binnenkort".

use app::domain::date::Date;
use app::domain::tariff::Validity;

async fn today(pool: &PgPool) -> Date {
    let s: String =
        sqlx::query_scalar("SELECT to_char(now() AT TIME ZONE 'Europe/Amsterdam', 'YYYY-MM-DD')")
            .fetch_one(pool)
            .await
            .unwrap();
    Date::parse_iso(&s).unwrap()
}

async fn end_of(pool: &PgPool, id: &AuthorizationId) -> Date {
    let s: String = sqlx::query_scalar(
        "SELECT to_char(valid_until AT TIME ZONE 'Europe/Amsterdam', 'YYYY-MM-DD') FROM authorizations WHERE id = $1",
    )
    .bind(id.uuid())
    .fetch_one(pool)
    .await
    .unwrap();
    Date::parse_iso(&s).unwrap()
}

/// `n` of the generated users' service authorizations (EH3, active, ending in about 2 years).
async fn generated(pool: &PgPool, n: i64) -> Vec<AuthorizationId> {
    let ids: Vec<Uuid> = sqlx::query_scalar(
        "SELECT z.id FROM authorizations z JOIN users u ON u.id = z.user_id
          WHERE u.email LIKE 'demo.%' AND z.kind = 'service' ORDER BY z.id LIMIT $1",
    )
    .bind(n)
    .fetch_all(pool)
    .await
    .unwrap();
    ids.into_iter().map(Into::into).collect()
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn renewing_many_extends_each_from_its_end_date_at_the_price_shown(pool: PgPool) {
    let state = state(pool).await;
    let m = manager(&state).await;
    let five = generated(&state.pool, 5).await;
    let ends: Vec<Date> = futures_ends(&state.pool, &five).await;
    let quote = authorizations::quote_renewal(&state.pool, &m, &five, Validity::OneYear)
        .await
        .unwrap();
    assert_eq!(quote.lines.len(), 5);
    assert!(quote
        .lines
        .iter()
        .all(|l| l.cents == 1500 && l.state == State::Active));
    assert_eq!(
        (quote.subtotal_cents, quote.vat_cents, quote.total_cents),
        (7500, 1575, 9075)
    );
    let before = count(&state.pool, "SELECT count(*) FROM renewals").await;
    assert_eq!(
        authorizations::renew(&state, &m, &five, Validity::OneYear, quote.total_cents, &[])
            .await
            .unwrap(),
        5
    );
    for (id, end) in five.iter().zip(&ends) {
        assert_eq!(end_of(&state.pool, id).await, end.plus_years(1));
        assert_eq!(state_of(&state.pool, id).await, "active");
    }
    assert_eq!(
        count(&state.pool, "SELECT count(*) FROM renewals").await,
        before + 1
    );
    assert_eq!(
        count(&state.pool, "SELECT sum(cents)::int8 FROM renewal_items").await,
        7500
    );
    assert_eq!(
        count(
            &state.pool,
            "SELECT count(*) FROM audit_log WHERE action = 'authorizations.renewed'"
        )
        .await,
        1
    );
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn a_renewal_tells_each_user_once_per_organization_and_every_manager_involved(pool: PgPool) {
    let state = state(pool).await;
    second_manager(&state.pool).await;
    let m = manager(&state).await;
    // Three of Bakkerij and two of Berg (the demo users are spread over both at random).
    let ids: Vec<Uuid> = sqlx::query_scalar(
        "(SELECT z.id FROM authorizations z JOIN users u ON u.id = z.user_id
           JOIN organizations o ON o.id = z.org_id
          WHERE u.email LIKE 'demo.%' AND z.kind = 'service' AND o.kvk_number = $1
          ORDER BY z.id LIMIT 3)
         UNION ALL
         (SELECT z.id FROM authorizations z JOIN users u ON u.id = z.user_id
           JOIN organizations o ON o.id = z.org_id
          WHERE u.email LIKE 'demo.%' AND z.kind = 'service' AND o.kvk_number = $2
          ORDER BY z.id LIMIT 2)",
    )
    .bind(BAKKERIJ)
    .bind(BERG)
    .fetch_all(&state.pool)
    .await
    .unwrap();
    let five: Vec<AuthorizationId> = ids.iter().copied().map(Into::into).collect();
    let in_bakkerij = count(
        &state.pool,
        &format!(
            "SELECT count(*) FROM authorizations z JOIN organizations o ON o.id = z.org_id
              WHERE o.kvk_number = '{BAKKERIJ}' AND z.id IN ({})",
            ids.iter()
                .map(|i| format!("'{i}'"))
                .collect::<Vec<_>>()
                .join(",")
        ),
    )
    .await;
    assert!(in_bakkerij > 0);
    let quote = authorizations::quote_renewal(&state.pool, &m, &five, Validity::OneYear)
        .await
        .unwrap();
    sqlx::query("DELETE FROM outbox")
        .execute(&state.pool)
        .await
        .unwrap();
    authorizations::renew(&state, &m, &five, Validity::OneYear, quote.total_cents, &[])
        .await
        .unwrap();
    let sent: Vec<(String, String, String)> =
        sqlx::query_as("SELECT recipient, subject, body FROM outbox ORDER BY id")
            .fetch_all(&state.pool)
            .await
            .unwrap();
    // Kees, the other manager of Bakkerij, reads it in English, with the order's total.
    let kees: Vec<_> = sent.iter().filter(|s| s.0 == "kees@example.nl").collect();
    assert_eq!(kees.len(), 1);
    assert_eq!(kees[0].1, format!("{in_bakkerij} authorizations renewed"));
    assert!(
        kees[0].2.contains("Eva Jansen renewed or re-activated"),
        "{}",
        kees[0].2
    );
    assert!(kees[0].2.contains("€90.75"), "{}", kees[0].2);
    // The manager who ordered gets one too, over all five.
    let eva: Vec<_> = sent
        .iter()
        .filter(|s| s.0 == "eva.jansen@bakkerij-devries.nl")
        .collect();
    assert_eq!(eva.len(), 1);
    assert_eq!(eva[0].1, "5 machtigingen verlengd");
    // Every user: one mail per organization with the new end date.
    let users: Vec<(String, Uuid)> = sqlx::query_as(
        "SELECT DISTINCT u.email, z.org_id FROM authorizations z JOIN users u ON u.id = z.user_id
          WHERE z.id = ANY($1) AND u.status = 'active'",
    )
    .bind(&ids)
    .fetch_all(&state.pool)
    .await
    .unwrap();
    let to_users: Vec<_> = sent
        .iter()
        .filter(|s| s.1.starts_with("Uw machtigingen voor") && s.1.ends_with("zijn verlengd"))
        .collect();
    assert_eq!(to_users.len(), users.len());
    assert!(to_users
        .iter()
        .all(|s| s.2.contains("nu geldig tot en met ")));
}

async fn futures_ends(pool: &PgPool, ids: &[AuthorizationId]) -> Vec<Date> {
    let mut ends = Vec::new();
    for id in ids {
        ends.push(end_of(pool, id).await);
    }
    ends
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn never_more_than_five_years_from_today_and_an_expired_one_is_activated_from_today(
    pool: PgPool,
) {
    let state = state(pool).await;
    let m = manager(&state).await;
    let today = today(&state.pool).await;
    let [long, expired]: [AuthorizationId; 2] = generated(&state.pool, 2).await.try_into().unwrap();
    sqlx::query("UPDATE authorizations SET state = 'expired', valid_from = now() - interval '3 years', valid_until = now() - interval '10 days' WHERE id = $1")
        .bind(expired.uuid())
        .execute(&state.pool)
        .await
        .unwrap();
    let ids = vec![long.clone(), expired.clone()];
    let quote = authorizations::quote_renewal(&state.pool, &m, &ids, Validity::FiveYears)
        .await
        .unwrap();
    authorizations::renew(
        &state,
        &m,
        &ids,
        Validity::FiveYears,
        quote.total_cents,
        &[],
    )
    .await
    .unwrap();
    // Ending in about 2 years + 5 is capped at 5 years from today; the expired one runs 5
    // years from today.
    assert_eq!(end_of(&state.pool, &long).await, today.plus_years(5));
    assert_eq!(end_of(&state.pool, &expired).await, today.plus_years(5));
    assert_eq!(state_of(&state.pool, &expired).await, "active");
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn a_renewal_that_breaks_a_rule_changes_nothing(pool: PgPool) {
    let state = state(pool).await;
    let m = manager(&state).await;
    let own = generated(&state.pool, 2).await;
    let snapshot = || async {
        count(&state.pool, "SELECT count(*) FROM renewals").await
            + count(&state.pool, "SELECT count(*) FROM authorizations WHERE valid_until > now() + interval '1000 days'").await * 1000
    };
    let before = snapshot().await;
    let refused = |ids: Vec<AuthorizationId>, total: i64| {
        let (state, m) = (state.clone(), m.clone());
        async move {
            api(
                authorizations::renew(&state, &m, &ids, Validity::OneYear, total, &[])
                    .await
                    .unwrap_err(),
            )
        }
    };
    let quote = authorizations::quote_renewal(&state.pool, &m, &own, Validity::OneYear)
        .await
        .unwrap();
    // A price other than the one shown.
    assert_eq!(
        refused(own.clone(), quote.total_cents - 1).await,
        ApiError::validation(Field::Authorization, Rule::Outdated)
    );
    // Another organization's id among ours: like a missing one.
    let noord: Uuid = sqlx::query_scalar(
        "SELECT z.id FROM authorizations z JOIN organizations o ON o.id = z.org_id WHERE o.kvk_number = $1 LIMIT 1",
    )
    .bind(NOORD)
    .fetch_one(&state.pool)
    .await
    .unwrap();
    let mut mixed = own.clone();
    mixed.push(noord.into());
    assert_eq!(
        refused(mixed.clone(), quote.total_cents).await,
        ApiError::NotFound
    );
    let mut with_missing = own.clone();
    with_missing.push(Uuid::new_v4().into());
    assert_eq!(
        refused(with_missing, quote.total_cents).await,
        ApiError::NotFound
    );
    // The manager's right alone; a revoked one; none; too many.
    let right = authorization_of(&state.pool, MANAGER.0, BAKKERIJ, "admin").await;
    assert_eq!(
        refused(vec![right], 0).await,
        ApiError::validation(Field::Authorization, Rule::AdminAlone)
    );
    let pieter = authorization_of(&state.pool, USER.0, BAKKERIJ, "all_services").await;
    sqlx::query("UPDATE authorizations SET state = 'revoked' WHERE id = $1")
        .bind(pieter.uuid())
        .execute(&state.pool)
        .await
        .unwrap();
    assert_eq!(
        refused(vec![pieter], 0).await,
        ApiError::validation(Field::Authorization, Rule::NotRenewable)
    );
    assert_eq!(
        refused(vec![], 0).await,
        ApiError::validation(Field::Authorization, Rule::Required)
    );
    let many: Vec<AuthorizationId> = (0..1001).map(|_| Uuid::new_v4().into()).collect();
    assert_eq!(
        refused(many, 0).await,
        ApiError::validation(Field::Authorization, Rule::TooMany)
    );
    assert_eq!(snapshot().await, before);
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn ending_soon_counts_and_filters_by_30_60_and_90_days(pool: PgPool) {
    let state = state(pool).await;
    let m = manager(&state).await;
    let three = generated(&state.pool, 3).await;
    for (id, days) in three.iter().zip([10, 45, 80]) {
        sqlx::query("UPDATE authorizations SET valid_until = now() + make_interval(days => $2) WHERE id = $1")
            .bind(id.uuid())
            .bind(days)
            .execute(&state.pool)
            .await
            .unwrap();
    }
    assert_eq!(
        authorizations::ending_soon(&state.pool, &m).await.unwrap(),
        vec![(30, 1), (60, 2), (90, 3)]
    );
    let within_60 = all_pages(
        &state.pool,
        &m,
        &AuthorizationFilter {
            ending_within_days: Some(60),
            ..Default::default()
        },
    )
    .await;
    let mut got: Vec<_> = within_60.iter().map(|r| r.id.clone()).collect();
    got.sort_by(|a, b| a.as_str().cmp(b.as_str()));
    let mut want = three[..2].to_vec();
    want.sort_by(|a, b| a.as_str().cmp(b.as_str()));
    assert_eq!(got, want);
}

// ---------------------------------------------------------------------------------------------
// Appointing managers.

use app::domain::ids::UserId;

async fn user_id(pool: &PgPool, username: &str) -> UserId {
    let id: Uuid = sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
        .bind(username)
        .fetch_one(pool)
        .await
        .unwrap();
    id.into()
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn a_manager_appoints_a_user_who_then_manages_the_organization(pool: PgPool) {
    let state = state(pool).await;
    let m = manager(&state).await;
    let bakkerij = OrgId::from(org(&state.pool, BAKKERIJ).await);
    let pieter = user_id(&state.pool, USER.0).await;
    let login = authorization_of(&state.pool, USER.0, BAKKERIJ, "all_services").await;
    authorizations::appoint(&state, &m, &bakkerij, &pieter)
        .await
        .unwrap();

    // The manager's right: at the level of Pieter's means (EH2), ending with his login
    // authorization, active now.
    let right = authorization_of(&state.pool, USER.0, BAKKERIJ, "admin").await;
    let (level, same_end): (String, bool) = sqlx::query_as(
        "SELECT r.level, r.valid_until = l.valid_until FROM authorizations r, authorizations l
          WHERE r.id = $1 AND l.id = $2",
    )
    .bind(right.uuid())
    .bind(login.uuid())
    .fetch_one(&state.pool)
    .await
    .unwrap();
    assert_eq!((level.as_str(), same_end), ("EH2", true));
    assert_eq!(state_of(&state.pool, &right).await, "active");
    assert_eq!(
        count(&state.pool, "SELECT count(*) FROM outbox WHERE recipient = 'pieter.vandam@bakkerij-devries.nl' AND subject = 'U bent beheerder van Bakkerij De Vries B.V.'").await,
        1
    );
    assert_eq!(
        count(
            &state.pool,
            "SELECT count(*) FROM audit_log WHERE action = 'manager.appointed'"
        )
        .await,
        1
    );
    // His next session manages Bakkerij De Vries.
    let (_, pieter_now) = sign_in(&state, USER).await;
    assert_eq!(pieter_now.manager().unwrap().orgs(), &[bakkerij.uuid()]);
    // Not twice.
    assert_eq!(
        api(authorizations::appoint(&state, &m, &bakkerij, &pieter)
            .await
            .unwrap_err()),
        ApiError::validation(Field::Authorization, Rule::AlreadyManager)
    );
    // Renewing his login authorization renews the manager's right with it, free of charge.
    let quote = authorizations::quote_renewal(
        &state.pool,
        &m,
        std::slice::from_ref(&login),
        Validity::OneYear,
    )
    .await
    .unwrap();
    authorizations::renew(
        &state,
        &m,
        std::slice::from_ref(&login),
        Validity::OneYear,
        quote.total_cents,
        &[],
    )
    .await
    .unwrap();
    assert_eq!(
        end_of(&state.pool, &right).await,
        end_of(&state.pool, &login).await
    );
    // Now Bakkerij has two managers: the demo manager's own right there may end.
    let own = authorization_of(&state.pool, MANAGER.0, BAKKERIJ, "admin").await;
    authorizations::revoke(&state, &m, &own).await.unwrap();
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn only_members_with_a_login_authorization_at_or_below_the_managers_level_are_appointed(
    pool: PgPool,
) {
    let state = state(pool).await;
    let m = manager(&state).await;
    let (bakkerij, berg, noord) = (
        OrgId::from(org(&state.pool, BAKKERIJ).await),
        OrgId::from(org(&state.pool, BERG).await),
        OrgId::from(org(&state.pool, NOORD).await),
    );
    let pieter = user_id(&state.pool, USER.0).await;
    let before = count(&state.pool, "SELECT count(*) FROM authorizations").await;
    let refused = |org: OrgId, user: UserId| {
        let (state, m) = (state.clone(), m.clone());
        async move {
            api(authorizations::appoint(&state, &m, &org, &user)
                .await
                .unwrap_err())
        }
    };
    // Not a member of Berg Advies; Zorggroep Noord is not the manager's; a made-up user.
    assert_eq!(refused(berg, pieter.clone()).await, ApiError::NotFound);
    assert_eq!(refused(noord, pieter.clone()).await, ApiError::NotFound);
    assert_eq!(
        refused(bakkerij.clone(), Uuid::new_v4().into()).await,
        ApiError::NotFound
    );
    // A means above the manager's own level (EH4).
    sqlx::query("UPDATE users SET level = 'EH4' WHERE username = $1")
        .bind(USER.0)
        .execute(&state.pool)
        .await
        .unwrap();
    assert_eq!(
        refused(bakkerij.clone(), pieter.clone()).await,
        ApiError::validation(Field::Authorization, Rule::AboveOwnLevel)
    );
    sqlx::query("UPDATE users SET level = 'EH2' WHERE username = $1")
        .bind(USER.0)
        .execute(&state.pool)
        .await
        .unwrap();
    // Without an active login authorization there.
    sqlx::query("UPDATE authorizations SET state = 'expired' WHERE user_id = $1")
        .bind(pieter.uuid())
        .execute(&state.pool)
        .await
        .unwrap();
    assert_eq!(
        refused(bakkerij, pieter).await,
        ApiError::validation(Field::Authorization, Rule::NoLoginAuthorization)
    );
    assert_eq!(
        count(&state.pool, "SELECT count(*) FROM authorizations").await,
        before
    );
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn ook_beheerder_worden_in_a_renewal_appoints_the_user_free_of_charge(pool: PgPool) {
    let state = state(pool).await;
    let m = manager(&state).await;
    let bakkerij = org(&state.pool, BAKKERIJ).await;
    let login = authorization_of(&state.pool, USER.0, BAKKERIJ, "all_services").await;
    let own = authorization_of(&state.pool, MANAGER.0, BAKKERIJ, "admin").await;
    let ids = vec![login.clone(), own.clone()];
    let quote = authorizations::quote_renewal(&state.pool, &m, &ids, Validity::OneYear)
        .await
        .unwrap();
    // Offered on Pieter's login authorization only: not on a manager's right.
    let offered: Vec<_> = quote
        .lines
        .iter()
        .map(|l| (l.id.clone(), l.may_become_manager))
        .collect();
    assert!(offered.contains(&(login.clone(), true)));
    assert!(offered.contains(&(own.clone(), false)));

    // Asking it on a line that is not in the order, or on a manager's right, writes nothing.
    let renewals = "SELECT count(*) FROM renewals";
    for (wrong, rule) in [
        (
            AuthorizationId::from(Uuid::new_v4()),
            Rule::NoLoginAuthorization,
        ),
        (own.clone(), Rule::AlreadyManager),
    ] {
        assert_eq!(
            api(authorizations::renew(
                &state,
                &m,
                &ids,
                Validity::OneYear,
                quote.total_cents,
                std::slice::from_ref(&wrong)
            )
            .await
            .unwrap_err()),
            ApiError::validation(Field::Authorization, rule)
        );
        assert_eq!(count(&state.pool, renewals).await, 0);
    }

    // The same price: the manager's right is free; it ends with the renewed login.
    authorizations::renew(
        &state,
        &m,
        &ids,
        Validity::OneYear,
        quote.total_cents,
        std::slice::from_ref(&login),
    )
    .await
    .unwrap();
    let right = authorization_of(&state.pool, USER.0, BAKKERIJ, "admin").await;
    assert_eq!(state_of(&state.pool, &right).await, "active");
    assert_eq!(
        end_of(&state.pool, &right).await,
        end_of(&state.pool, &login).await
    );
    assert_eq!(
        quote
            .lines
            .iter()
            .find(|l| l.id == login)
            .map(|l| l.new_end),
        Some(end_of(&state.pool, &login).await)
    );
    assert_eq!(
        count(&state.pool, "SELECT count(*) FROM outbox WHERE recipient = 'pieter.vandam@bakkerij-devries.nl' AND subject = 'U bent beheerder van Bakkerij De Vries B.V.'").await,
        1
    );
    assert_eq!(
        count(
            &state.pool,
            "SELECT count(*) FROM audit_log WHERE action = 'manager.appointed'"
        )
        .await,
        1
    );
    let (_, pieter) = sign_in(&state, USER).await;
    assert_eq!(pieter.manager().unwrap().orgs(), &[bakkerij]);

    // Now a manager: no longer offered, and asking again is refused.
    let again = authorizations::quote_renewal(&state.pool, &m, &ids, Validity::OneYear)
        .await
        .unwrap();
    assert!(again.lines.iter().all(|l| !l.may_become_manager));
    assert_eq!(
        api(authorizations::renew(
            &state,
            &m,
            &ids,
            Validity::OneYear,
            again.total_cents,
            std::slice::from_ref(&login)
        )
        .await
        .unwrap_err()),
        ApiError::validation(Field::Authorization, Rule::AlreadyManager)
    );
}
