use leptos::{prelude::*, server_fn::ServerFn};

use super::{avatar::Avatar, post_form::PostForm};
use crate::{api::auth::Logout, dto::UserView, error::AppError};

/// Who is logged in, for the header and any page that needs it. The session middleware has
/// already resolved it, so loading it costs no query.
#[derive(Clone, Copy)]
pub struct Session {
    pub user: Resource<Result<Option<UserView>, AppError>>,
}

#[component]
pub fn SiteHeader() -> impl IntoView {
    let session = expect_context::<Session>();
    view! {
        <header class="site-header">
            <a class="brand" href="/dashboard">
                <span class="brand-mark" aria-hidden="true">"P"</span>
                "PeerTutor"
            </a>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    session.user.await.ok().flatten().map(|user| view! {
                        <nav class="site-nav" aria-label="Main">
                            <a href=user.home.clone()>{if user.home == "/teach" { "Your sessions" } else { "Dashboard" }}</a>
                            <span class="site-user">
                                <Avatar avatar=user.avatar.clone() size="sm"/>
                                <span class="site-user-name">{user.name.clone()}</span>
                            </span>
                            <PostForm action=Logout::PATH label="Log out" busy_label="Logging out…" button_class="btn btn-ghost btn-small">
                                ""
                            </PostForm>
                        </nav>
                    })
                })}
            </Transition>
        </header>
    }
}
