//! What the booking pages show of one Student-Teacher's calendar to one student, computed once
//! and shown again until either person's times change. Each value is kept under the two
//! people's [`Stamp`], read before computing it: a change to either (heard in any process,
//! `live::Versions`) makes a new stamp, so a value computed before it is never read again. Time
//! alone also changes what is bookable (a time passes its notice, a payment hold ends), so no
//! value is kept longer than [`FRESH_FOR`]. Pages alone read it: every hold, booking and change
//! re-checks its slot in its own transaction.
use chrono_tz::Tz;
use moka::future::Cache;
use std::{future::Future, hash::Hash, sync::Arc, time::Duration};

use super::live::{Stamp, Versions};
use crate::{
    dto::{availability::SlotView, wizard::MonthTimes, StId},
    error::AppError,
};

/// The longest a value is shown after it was computed.
pub const FRESH_FOR: Duration = Duration::from_secs(10);
/// Values kept at most in each cache; the least recently used go first.
const CAPACITY: u64 = 20_000;

/// Whose calendar, seen by whom: what a value depends on, besides the two people's times.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct View {
    pub st_id: StId,
    pub teacher_id: i32,
    pub student_id: i32,
    pub timezone: Tz,
    /// The student's session being moved, which does not occupy its own time.
    pub moving: Option<i32>,
}

impl View {
    /// The two people's current stamp: read it before reading what a value is computed from.
    pub fn stamp(&self, versions: &Versions) -> Stamp {
        versions.stamp([self.teacher_id, self.student_id])
    }
}

/// One kind of value, by [`View`] and whatever else names it (`K`).
pub struct Computed<K, V> {
    values: Cache<(View, K, Stamp), V>,
}

impl<K, V> Default for Computed<K, V>
where
    K: Hash + Eq + Send + Sync + 'static,
    V: Clone + Send + Sync + 'static,
{
    fn default() -> Self {
        Self { values: Cache::builder().max_capacity(CAPACITY).time_to_live(FRESH_FOR).build() }
    }
}

impl<K, V> Computed<K, V>
where
    K: Hash + Eq + Send + Sync + 'static,
    V: Clone + Send + Sync + 'static,
{
    pub async fn get(&self, view: View, key: K, stamp: Stamp) -> Option<V> {
        self.values.get(&(view, key, stamp)).await
    }

    pub async fn insert(&self, view: View, key: K, stamp: Stamp, value: V) {
        self.values.insert((view, key, stamp), value).await;
    }

    /// The value, computed when it is not kept; concurrent first readers share one computation.
    pub async fn get_or_compute(
        &self,
        versions: &Versions,
        view: View,
        key: K,
        compute: impl Future<Output = Result<V, AppError>>,
    ) -> Result<V, AppError> {
        let stamp = view.stamp(versions);
        self.values.try_get_with((view, key, stamp), compute).await.map_err(|error| (*error).clone())
    }
}

/// The booking pages' values.
#[derive(Clone, Default)]
pub struct CalendarCache {
    /// A tutor's first bookable time, from now to the horizon (step 1, "Next Available").
    pub next: Arc<Computed<(), Option<SlotView>>>,
    /// A month of steps 2 and 3 (`YYYY-MM`), with each of its dates' times.
    pub months: Arc<Computed<String, Arc<MonthTimes>>>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        dto::live::ChangeKind,
        server::live::{Change, Heard},
    };

    fn view(teacher_id: i32, student_id: i32) -> View {
        View { st_id: StId(1), teacher_id, student_id, timezone: Tz::UTC, moving: None }
    }

    #[tokio::test]
    async fn a_value_is_computed_again_once_either_person_changes() {
        let versions = Versions::default();
        let cache = Computed::<(), u32>::default();
        let computed = std::sync::atomic::AtomicU32::new(0);
        let get =
            |v: View| cache.get_or_compute(&versions, v, (), async { Ok(computed.fetch_add(1, std::sync::atomic::Ordering::SeqCst)) });
        assert_eq!(get(view(7, 9)).await.unwrap(), 0);
        assert_eq!(get(view(7, 9)).await.unwrap(), 0, "kept");
        assert_eq!(get(view(8, 9)).await.unwrap(), 1, "another tutor is another value");
        versions.heard(Heard::Change(Change { kind: ChangeKind::Booked, teacher_id: 3, student_id: Some(4) }));
        assert_eq!(get(view(7, 9)).await.unwrap(), 0, "others' changes keep it");
        versions.heard(Heard::Change(Change { kind: ChangeKind::Hours, teacher_id: 7, student_id: None }));
        assert_eq!(get(view(7, 9)).await.unwrap(), 2, "the tutor's hours changed");
        versions.heard(Heard::Change(Change { kind: ChangeKind::Booked, teacher_id: 5, student_id: Some(9) }));
        assert_eq!(get(view(7, 9)).await.unwrap(), 3, "the student booked someone else");
        assert_eq!(get(view(8, 9)).await.unwrap(), 4);
        versions.heard(Heard::Missed);
        assert_eq!(get(view(7, 9)).await.unwrap(), 5, "after changes went unheard, everything is computed again");
    }
}
