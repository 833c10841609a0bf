use leptos::prelude::*;

use crate::dto::Avatar as AvatarData;

/// A person's picture, or their initials on a colour chosen from them. Decorative: the name
/// always stands beside it, so screen readers skip it.
#[component]
pub fn Avatar(avatar: AvatarData, #[prop(default = "md")] size: &'static str) -> impl IntoView {
    let class = format!("avatar avatar-{size}");
    match avatar.url {
        Some(url) => view! { <img class=class src=url alt="" aria-hidden="true"/> }.into_any(),
        None => {
            let hue = avatar.initials.bytes().fold(7u32, |h, b| h.wrapping_mul(31).wrapping_add(b.into())) % 360;
            view! {
                <span class=class aria-hidden="true" style=format!("--avatar-hue: {hue}")>
                    {avatar.initials}
                </span>
            }
            .into_any()
        }
    }
}
