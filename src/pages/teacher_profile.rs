use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    api::courses::load_teacher_profile,
    components::{avatar::Avatar, error_panel::ErrorPanel, teacher_meta::TeacherMeta, use_resource_by_id},
    dto::StId,
    error::Subject,
};

#[component]
pub fn TeacherProfilePage() -> impl IntoView {
    let profile = use_resource_by_id("st_id", Subject::StudentTeacher, |id| load_teacher_profile(StId(id)));
    view! {
        <div class="page narrow">
            <Transition fallback=|| view! { <p class="loading">"Loading profile…"</p> }>
                {move || Suspend::new(async move {
                    match profile.await {
                        Err(error) => view! { <ErrorPanel error title="Student-Teacher"/> }.into_any(),
                        Ok(p) => view! {
                            <Title text=p.card.name.clone()/>
                            <a class="back-link" href=format!("/courses/{}", p.course.id)>{format!("← {}", p.course.title)}</a>
                            <div class="profile-head">
                                <Avatar avatar=p.card.avatar.clone() size="lg"/>
                                <div>
                                    <h1>{p.card.name.clone()}</h1>
                                    <p class="muted">{format!("Student-Teacher for {}", p.course.title)}</p>
                                    <TeacherMeta teacher=p.card.clone()/>
                                </div>
                            </div>
                            <p class="lead">{p.bio}</p>
                            <h2>"Weekly availability"</h2>
                            <p class="muted">{format!("In {}'s timezone, {}.", p.card.name, p.card.timezone)}</p>
                            <dl class="hours">
                                {p.weekly_hours.into_iter().map(|w| view! {
                                    <dt>{w.day}</dt>
                                    <dd>{w.hours.into_iter().map(|range| view! { <span>{range}</span> }).collect_view()}</dd>
                                }).collect_view()}
                            </dl>
                            {if p.is_active {
                                view! { <a class="btn btn-primary" href=format!("/book/{}", p.card.st_id)>"Book Session"</a> }.into_any()
                            } else {
                                view! { <p class="panel">"Not taking bookings right now."</p> }.into_any()
                            }}
                        }.into_any(),
                    }
                })}
            </Transition>
        </div>
    }
}
