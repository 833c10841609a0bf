//! Live availability (docs/booking-contract.md §9): every committed change to the times a
//! person can be booked at reaches the pages that show them. Within a process through a
//! broadcast channel; across app processes sharing PostgreSQL through `NOTIFY`, which every
//! process (the sender too) hears with `LISTEN` and passes on to its own pages. A change says
//! only whose times changed and how: pages fetch the times again through their usual, checked
//! endpoint. Each process also counts the changes it hears per person ([`Versions`]), so that
//! what was computed from a person's times is never shown after they change.
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use serde::{Deserialize, Serialize};
use std::{
    collections::HashMap,
    sync::{Arc, RwLock},
};
use tokio::sync::broadcast;

use crate::dto::live::ChangeKind;

/// The PostgreSQL channel every app process listens on.
const CHANNEL: &str = "availability";

/// Pages that fall this far behind are told to fetch again rather than sent every change.
const BACKLOG: usize = 1024;

/// A committed change to the times of a Student-Teacher (`teacher_id`) and, when a session or
/// hold of theirs changed, a student.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub kind: ChangeKind,
    pub teacher_id: i32,
    pub student_id: Option<i32>,
}

impl Change {
    /// Whether the times `person` can be booked at, or books at, may have changed.
    pub fn involves(&self, person: i32) -> bool {
        self.teacher_id == person || self.student_id == Some(person)
    }
}

/// What a page's stream hears.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Heard {
    Change(Change),
    /// Changes may have gone unheard (the listener reconnected, or the page fell behind):
    /// every page fetches its times again.
    Missed,
}

/// How many changes this process has heard of each person's times, and of everyone's (after
/// changes may have gone unheard). A value computed from people's times is kept with the
/// [`Stamp`] read before computing it, and is current while the stamp is.
#[derive(Debug, Default)]
pub struct Versions {
    everyone: RwLock<u64>,
    people: RwLock<HashMap<i32, u64>>,
}

/// The versions of two people's times at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Stamp([u64; 3]);

impl Versions {
    pub fn stamp(&self, [a, b]: [i32; 2]) -> Stamp {
        let everyone = *self.everyone.read().expect("versions are never poisoned");
        let people = self.people.read().expect("versions are never poisoned");
        let of = |person| people.get(&person).copied().unwrap_or_default();
        Stamp([everyone, of(a), of(b)])
    }

    pub(super) fn heard(&self, heard: Heard) {
        match heard {
            Heard::Change(change) => {
                let mut people = self.people.write().expect("versions are never poisoned");
                for person in [Some(change.teacher_id), change.student_id].into_iter().flatten() {
                    *people.entry(person).or_default() += 1;
                }
            }
            Heard::Missed => *self.everyone.write().expect("versions are never poisoned") += 1,
        }
    }
}

#[derive(Clone)]
pub struct Live {
    sender: broadcast::Sender<Heard>,
    versions: Arc<Versions>,
    across_processes: bool,
}

impl Live {
    /// On PostgreSQL, also starts listening for the changes of every app process; the task
    /// ends when the last `Live` of this process is gone.
    pub fn start(db: &DatabaseConnection) -> Self {
        let (sender, _) = broadcast::channel(BACKLOG);
        let versions = Arc::<Versions>::default();
        let across_processes = db.get_database_backend() == DbBackend::Postgres;
        if across_processes {
            let here = Here { pages: sender.downgrade(), versions: versions.clone() };
            tokio::spawn(listen(db.get_postgres_connection_pool().clone(), here));
        }
        Self { sender, versions, across_processes }
    }

    pub fn versions(&self) -> &Versions {
        &self.versions
    }

    /// Tells every page (in every process) of a change that has been committed. A change that
    /// cannot be sent is logged, not returned: it is committed, and pages poll while their
    /// stream is down.
    pub async fn publish(&self, db: &impl ConnectionTrait, change: Change) {
        // This process's next page is current at once, whenever the notification comes back.
        self.versions.heard(Heard::Change(change));
        if !self.across_processes {
            let _ = self.sender.send(Heard::Change(change));
            return;
        }
        let payload = serde_json::to_string(&change).expect("a change serializes");
        let notify = Statement::from_sql_and_values(DbBackend::Postgres, "SELECT pg_notify($1, $2)", [CHANNEL.into(), payload.into()]);
        if let Err(error) = db.execute_raw(notify).await {
            tracing::warn!(%error, ?change, "cannot send a change to the other app processes");
        }
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Heard> {
        self.sender.subscribe()
    }
}

/// Passes every process's changes on to this one's pages. A lost connection drops what was
/// sent meanwhile, so each new connection, once it listens, tells pages they missed some.
async fn listen(pool: sea_orm::sqlx::PgPool, here: Here) {
    use sea_orm::sqlx::postgres::PgListener;
    let pause = std::time::Duration::from_secs(1);
    while !pool.is_closed() {
        let mut listener = match PgListener::connect_with(&pool).await {
            Ok(listener) => listener,
            Err(error) => {
                tracing::warn!(%error, "cannot connect to listen for changes; trying again");
                tokio::time::sleep(pause).await;
                continue;
            }
        };
        if let Err(error) = listener.listen(CHANNEL).await {
            tracing::warn!(%error, "cannot listen for changes; trying again");
            tokio::time::sleep(pause).await;
            continue;
        }
        if !here.pass_on(Heard::Missed) {
            return;
        }
        loop {
            match listener.try_recv().await {
                Ok(Some(notification)) => match serde_json::from_str::<Change>(notification.payload()) {
                    Ok(change) if !here.pass_on(Heard::Change(change)) => return,
                    Ok(_) => {}
                    Err(error) => tracing::warn!(%error, payload = notification.payload(), "a change that does not parse"),
                },
                // The connection is gone: connect again, then say what may have been missed.
                Ok(None) => break,
                Err(error) => {
                    tracing::warn!(%error, "lost the connection that listens for changes");
                    tokio::time::sleep(pause).await;
                    break;
                }
            }
        }
    }
}

/// What hears the changes in this process: its pages, and its versions.
struct Here {
    pages: broadcast::WeakSender<Heard>,
    versions: Arc<Versions>,
}

impl Here {
    /// Counts the change, then sends it to the pages, so that what they fetch is current;
    /// false once no `Live` of this process is left to serve them.
    fn pass_on(&self, heard: Heard) -> bool {
        let Some(pages) = self.pages.upgrade() else { return false };
        self.versions.heard(heard);
        let _ = pages.send(heard);
        true
    }
}
