//! The outbox: delivery, retries with backoff, no double sending with several workers, and
//! one-time codes before bulk mail.

mod common;

use app::server::demo::MANAGER;
use app::server::outbox::{
    self, email::EmailTransport, sms::SmsGateway, Content, DeliveryError, Timing, Transports,
};
use app::server::signin::{self, Outcome};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::PgPool;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Clone, Default)]
struct Counting {
    sent: Arc<AtomicUsize>,
    fail: bool,
}

#[async_trait::async_trait]
impl EmailTransport for Counting {
    async fn send(&self, _: &str, _: &str, _: &str) -> Result<(), DeliveryError> {
        self.deliver().await
    }
}

#[async_trait::async_trait]
impl SmsGateway for Counting {
    async fn send(&self, _: &str, _: &str) -> Result<(), DeliveryError> {
        self.deliver().await
    }
}

impl Counting {
    async fn deliver(&self) -> Result<(), DeliveryError> {
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
        if self.fail {
            return Err(DeliveryError("gateway down".into()));
        }
        self.sent.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }

    fn transports(&self, erase_sensitive: bool) -> Transports {
        Transports {
            email: Box::new(self.clone()),
            sms: Box::new(self.clone()),
            erase_sensitive,
        }
    }
}

async fn enqueue(pool: &PgPool, n: usize) {
    let mut tx = pool.begin().await.unwrap();
    for i in 0..n {
        if i % 2 == 0 {
            outbox::enqueue_email(
                &mut tx,
                "a@example.nl",
                "Onderwerp",
                "Tekst",
                Content::Plain,
            )
            .await
            .unwrap();
        } else {
            outbox::enqueue_sms(&mut tx, "+31612345678", "Code 123456", Content::Secret)
                .await
                .unwrap();
        }
    }
    tx.commit().await.unwrap();
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn messages_written_in_a_rolled_back_transaction_are_never_sent(pool: PgPool) {
    let mut tx = pool.begin().await.unwrap();
    outbox::enqueue_email(
        &mut tx,
        "a@example.nl",
        "Onderwerp",
        "Tekst",
        Content::Plain,
    )
    .await
    .unwrap();
    tx.rollback().await.unwrap();
    let counting = Counting::default();
    assert_eq!(
        outbox::deliver_due(&pool, &counting.transports(false), 10)
            .await
            .unwrap(),
        0
    );
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn several_workers_deliver_every_message_exactly_once(pool: PgPool) {
    enqueue(&pool, 60).await;
    let counting = Counting::default();
    let workers: Vec<_> = (0..4)
        .map(|_| {
            let pool = pool.clone();
            let transports = counting.transports(false);
            tokio::spawn(async move {
                while outbox::deliver_due(&pool, &transports, 5).await.unwrap() > 0 {}
            })
        })
        .collect();
    for w in workers {
        w.await.unwrap();
    }
    assert_eq!(counting.sent.load(Ordering::SeqCst), 60);
    let pending: i64 = sqlx::query_scalar("SELECT count(*) FROM outbox WHERE status <> 'sent'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(pending, 0);
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn a_failed_delivery_is_retried_later_and_given_up_after_the_last_attempt(pool: PgPool) {
    enqueue(&pool, 1).await;
    let failing = Counting {
        fail: true,
        ..Default::default()
    };
    assert_eq!(
        outbox::deliver_due(&pool, &failing.transports(false), 10)
            .await
            .unwrap(),
        0
    );
    let (status, wait, error): (String, f64, String) = sqlx::query_as(
        "SELECT status, extract(epoch FROM next_attempt_at - now())::float8, last_error FROM outbox",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(status, "pending");
    assert!(wait > 20.0 && wait <= 30.0, "{wait}");
    assert_eq!(error, "gateway down");
    // Not due yet: nothing is tried.
    assert_eq!(
        outbox::deliver_due(&pool, &failing.transports(false), 10)
            .await
            .unwrap(),
        0
    );
    let attempts: i32 = sqlx::query_scalar("SELECT attempts FROM outbox")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(attempts, 1);

    for _ in 1..outbox::MAX_ATTEMPTS {
        sqlx::query("UPDATE outbox SET next_attempt_at = now()")
            .execute(&pool)
            .await
            .unwrap();
        outbox::deliver_due(&pool, &failing.transports(false), 10)
            .await
            .unwrap();
    }
    let status: String = sqlx::query_scalar("SELECT status FROM outbox")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(status, "failed");
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn in_production_one_time_codes_are_erased_once_delivered(pool: PgPool) {
    enqueue(&pool, 2).await;
    let counting = Counting::default();
    outbox::deliver_due(&pool, &counting.transports(true), 10)
        .await
        .unwrap();
    let bodies: Vec<String> = sqlx::query_scalar("SELECT body FROM outbox ORDER BY id")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(
        bodies,
        vec![
            outbox::email_body("Tekst"),
            "[erased after delivery]".to_string()
        ]
    );
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn attack_a_message_given_up_on_keeps_no_code_or_link_in_plain_text(pool: PgPool) {
    enqueue(&pool, 2).await;
    let failing = Counting {
        fail: true,
        ..Counting::default()
    };
    for _ in 0..outbox::MAX_ATTEMPTS {
        sqlx::query("UPDATE outbox SET next_attempt_at = now()")
            .execute(&pool)
            .await
            .unwrap();
        outbox::deliver_due(&pool, &failing.transports(true), 10)
            .await
            .unwrap();
    }
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT status, body FROM outbox ORDER BY id")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(
        rows,
        vec![
            ("failed".to_string(), outbox::email_body("Tekst")),
            ("failed".to_string(), "[erased: not delivered]".to_string()),
        ]
    );
}

/// (channel, recipient, body) of an accepted message.
type Accepted = (&'static str, String, String);

/// A phone and a mailbox that write down every message they accept, in order; optionally
/// slow, and optionally a flaky SMTP server that refuses every third e-mail.
#[derive(Clone, Default)]
struct Recorder {
    accepted: Arc<Mutex<Vec<Accepted>>>,
    delay: Duration,
    email_sends: Arc<AtomicUsize>,
    refuse_every_third_email: bool,
}

#[async_trait::async_trait]
impl EmailTransport for Recorder {
    async fn send(&self, to: &str, _: &str, body: &str) -> Result<(), DeliveryError> {
        tokio::time::sleep(self.delay).await;
        let n = self.email_sends.fetch_add(1, Ordering::SeqCst) + 1;
        if self.refuse_every_third_email && n.is_multiple_of(3) {
            return Err(DeliveryError("421 service not available".into()));
        }
        self.accept("email", to, body);
        Ok(())
    }
}

#[async_trait::async_trait]
impl SmsGateway for Recorder {
    async fn send(&self, to: &str, body: &str) -> Result<(), DeliveryError> {
        tokio::time::sleep(self.delay).await;
        self.accept("sms", to, body);
        Ok(())
    }
}

impl Recorder {
    fn accept(&self, channel: &'static str, to: &str, body: &str) {
        self.accepted
            .lock()
            .unwrap()
            .push((channel, to.to_string(), body.to_string()));
    }

    fn transports(&self) -> Transports {
        Transports {
            email: Box::new(self.clone()),
            sms: Box::new(self.clone()),
            erase_sensitive: false,
        }
    }

    fn accepted(&self) -> Vec<Accepted> {
        self.accepted.lock().unwrap().clone()
    }

    /// How often each body was accepted.
    fn deliveries(&self) -> BTreeMap<String, usize> {
        let mut counts = BTreeMap::new();
        // E-mails carry the brand's signature under the text; the text names the message.
        let signature = format!("\n\n{}", app::server::brand::get().signature());
        for (_, _, body) in self.accepted() {
            let text = body.strip_suffix(&signature).unwrap_or(&body).to_string();
            *counts.entry(text).or_insert(0) += 1;
        }
        counts
    }
}

/// `n` e-mails with the bodies "message 0" .. "message {n-1}".
async fn enqueue_numbered(pool: &PgPool, n: usize) {
    let mut tx = pool.begin().await.unwrap();
    for i in 0..n {
        let body = format!("message {i}");
        outbox::enqueue_email(&mut tx, "a@example.nl", "Onderwerp", &body, Content::Plain)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
}

fn each_once(n: usize) -> BTreeMap<String, usize> {
    (0..n).map(|i| (format!("message {i}"), 1)).collect()
}

async fn not_sent(pool: &PgPool) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM outbox WHERE status <> 'sent'")
        .fetch_one(pool)
        .await
        .unwrap()
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn fault_a_bulk_batch_does_not_delay_a_sign_in_code(pool: PgPool) {
    let state = common::state(pool.clone()).await;
    // A manager's 10,000 invitations are queued first (as the wizard writes them: one
    // set-based INSERT, personal links, so sensitive).
    sqlx::query(
        "INSERT INTO outbox (channel, recipient, subject, body, sensitive)
         SELECT 'email', 'genodigde' || n || '@example.nl', 'Uitnodiging', 'Uw link ' || n, true
           FROM generate_series(1, 10000) AS n",
    )
    .execute(&pool)
    .await
    .unwrap();
    // Then a manager signs in and waits for the SMS code.
    let outcome = signin::sign_in(&state, MANAGER.0, MANAGER.1.into(), common::ip())
        .await
        .unwrap();
    assert!(matches!(outcome, Outcome::CodeSent { .. }));
    let mobile: String = sqlx::query_scalar("SELECT mobile FROM users WHERE username = $1")
        .bind(MANAGER.0)
        .fetch_one(&pool)
        .await
        .unwrap();

    let recorder = Recorder::default();
    let started = Instant::now();
    outbox::deliver_due(&pool, &recorder.transports(), 20)
        .await
        .unwrap();
    let accepted = recorder.accepted();
    assert_eq!(accepted.len(), 20);
    assert_eq!(
        (accepted[0].0, accepted[0].1.as_str()),
        ("sms", mobile.as_str())
    );
    assert!(accepted[1..]
        .iter()
        .all(|(channel, ..)| *channel == "email"));
    println!(
        "20 deliveries from a queue of 10,000: {:?}",
        started.elapsed()
    );
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn fault_a_lease_running_out_mid_batch_sends_nothing_twice(pool: PgPool) {
    // Scaled down from production (2 min lease, 45 s per send): a 1 s lease and sends of
    // 100 ms, so a batch of 15 takes 1.5 s, longer than one lease.
    let timing = Timing::new(Duration::from_secs(1), Duration::from_millis(400));
    enqueue_numbered(&pool, 15).await;
    let recorder = Recorder {
        delay: Duration::from_millis(100),
        ..Recorder::default()
    };
    let first = {
        let (pool, transports) = (pool.clone(), recorder.transports());
        tokio::spawn(async move {
            outbox::deliver_due_with(&pool, &transports, 15, timing)
                .await
                .unwrap()
        })
    };
    // A second process looks for work once the first one's first lease has run out.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let transports = recorder.transports();
    while outbox::deliver_due_with(&pool, &transports, 15, timing)
        .await
        .unwrap()
        > 0
    {}
    first.await.unwrap();
    assert_eq!(recorder.deliveries(), each_once(15));
    assert_eq!(not_sent(&pool).await, 0);
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn fault_a_hanging_transport_is_cut_off_before_its_lease_runs_out(pool: PgPool) {
    let timing = Timing::new(Duration::from_secs(1), Duration::from_millis(200));
    enqueue_numbered(&pool, 1).await;
    let hanging = Recorder {
        delay: Duration::from_secs(3600),
        ..Recorder::default()
    };
    let started = Instant::now();
    let sent = tokio::time::timeout(
        Duration::from_secs(5),
        outbox::deliver_due_with(&pool, &hanging.transports(), 1, timing),
    )
    .await
    .expect("the send is cut off at its deadline")
    .unwrap();
    assert_eq!(sent, 0);
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    // Released for a later retry, not left to its lease.
    let (status, attempts, locked, error): (String, i32, bool, String) =
        sqlx::query_as("SELECT status, attempts, locked_until IS NOT NULL, last_error FROM outbox")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!((status.as_str(), attempts, locked), ("pending", 1, false));
    assert_eq!(error, "no answer within 200 ms");
}

#[sqlx::test(migrator = "app::server::MIGRATOR")]
async fn fault_two_workers_and_a_flaky_smtp_deliver_every_message_exactly_once(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    const N: usize = 200;
    // Two server processes: each its own connection pool on the same database.
    let pools = [
        PgPoolOptions::new()
            .max_connections(3)
            .connect_with(connect.clone())
            .await
            .unwrap(),
        PgPoolOptions::new()
            .max_connections(3)
            .connect_with(connect.clone())
            .await
            .unwrap(),
    ];
    let mut tx = pools[0].begin().await.unwrap();
    for i in 0..N {
        let body = format!("message {i}");
        if i % 2 == 0 {
            outbox::enqueue_email(&mut tx, "a@example.nl", "Onderwerp", &body, Content::Plain)
                .await
                .unwrap();
        } else {
            outbox::enqueue_sms(&mut tx, "+31612345678", &body, Content::OneTimeCode)
                .await
                .unwrap();
        }
    }
    tx.commit().await.unwrap();

    // One SMTP server that both processes talk to, refusing every third e-mail, and a
    // gateway and server that take 20 ms a message. Time scaled down from production like
    // the lease test: a batch of 20 takes longer than one lease.
    let recorder = Recorder {
        refuse_every_third_email: true,
        delay: Duration::from_millis(20),
        ..Recorder::default()
    };
    let timing = Timing::new(Duration::from_millis(300), Duration::from_millis(150));
    let stop = Arc::new(AtomicBool::new(false));
    let workers: Vec<_> = pools
        .iter()
        .map(|pool| {
            let (pool, transports, stop) = (pool.clone(), recorder.transports(), stop.clone());
            // The loop of server/src/workers.rs, with a shorter pause.
            tokio::spawn(async move {
                while !stop.load(Ordering::SeqCst) {
                    let sent = outbox::deliver_due_with(&pool, &transports, 20, timing)
                        .await
                        .unwrap();
                    if sent == 0 {
                        tokio::time::sleep(Duration::from_millis(5)).await;
                    }
                }
            })
        })
        .collect();
    // Time passes quickly: a refused message is due again at once instead of after its
    // backoff (production backoff unchanged).
    let started = Instant::now();
    while not_sent(&pools[0]).await > 0 {
        assert!(started.elapsed() < Duration::from_secs(60), "not drained");
        sqlx::query(
            "UPDATE outbox SET next_attempt_at = now()
              WHERE status = 'pending' AND next_attempt_at > now()",
        )
        .execute(&pools[0])
        .await
        .unwrap();
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    stop.store(true, Ordering::SeqCst);
    for w in workers {
        w.await.unwrap();
    }
    let refused = recorder.email_sends.load(Ordering::SeqCst) - N / 2;
    assert!(
        refused >= N / 6,
        "the SMTP server refused {refused} e-mails"
    );
    assert_eq!(recorder.deliveries(), each_once(N));
    // Every attempt was either the one delivery or a refusal: none was lost or repeated.
    let retries: i64 = sqlx::query_scalar("SELECT sum(attempts - 1)::int8 FROM outbox")
        .fetch_one(&pools[0])
        .await
        .unwrap();
    assert_eq!(retries as usize, refused);
    println!(
        "{N} messages, {refused} refusals, two workers: {:?}",
        started.elapsed()
    );
}
