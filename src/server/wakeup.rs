//! A handle that wakes a background worker early, so that work queued by a request is done
//! now rather than at the worker's next poll.
use std::sync::Arc;
use tokio::sync::Notify;

#[derive(Clone, Default)]
pub struct Wakeup(Arc<Notify>);

impl Wakeup {
    pub fn wake(&self) {
        self.0.notify_one();
    }

    /// Resolves at the next `wake` (or at once, if one came since the last wait).
    pub async fn woken(&self) {
        self.0.notified().await;
    }
}
