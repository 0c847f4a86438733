//! The outbox: delivery, retries with backoff, and no double sending with several workers.

use app::server::outbox::{
    self, email::EmailTransport, sms::SmsGateway, Content, DeliveryError, Transports,
};
use sqlx::PgPool;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

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
        vec!["Tekst".to_string(), "[erased after delivery]".to_string()]
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
            ("failed".to_string(), "Tekst".to_string()),
            ("failed".to_string(), "[erased: not delivered]".to_string()),
        ]
    );
}
