use leptos::{prelude::*, server_fn::ServerFn};
use leptos_meta::Title;

use crate::{
    api::courses::{load_course_page, Enroll},
    components::{
        error_panel::ErrorPanel,
        post_form::{use_form_error, FormError, PostForm},
        teacher_identity::TeacherIdentity,
        teacher_meta::TeacherMeta,
        use_resource_by_id,
    },
    error::Subject,
};

#[component]
pub fn CoursePage() -> impl IntoView {
    let page = use_resource_by_id("course_id", Subject::Course, load_course_page);
    let enroll_error = use_form_error(Enroll::PATH);

    view! {
        <div class="page">
            <Transition fallback=|| view! { <p class="loading">"Loading course…"</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Err(error) => view! { <ErrorPanel error title="Course"/> }.into_any(),
                        Ok(p) => {
                            let id = p.course.id;
                            view! {
                                <Title text=p.course.title.clone()/>
                                <a class="back-link" href="/dashboard">"← Dashboard"</a>
                                <h1>{p.course.title.clone()}</h1>
                                <p class="lead">{p.description}</p>
                                <p class="muted">{format!("{}-minute sessions · {} sessions included", p.course.session_minutes, p.course.sessions_included)}
                                    {p.course.session_price.clone().map(|price| format!(", then {price} each"))}</p>
                                {p.allowance.map(|a| view! { <p class="allowance">{a.words(p.course.session_price.as_deref())}</p> })}
                                {if p.enrolled {
                                    view! { <a class="btn btn-primary" href=format!("/courses/{id}/book")>"Book a Session"</a> }.into_any()
                                } else {
                                    view! {
                                        <PostForm action=Enroll::PATH label="Enroll in this course" busy_label="Enrolling…">
                                            <input type="hidden" name="course_id" value=id/>
                                        </PostForm>
                                        <FormError error=enroll_error/>
                                    }.into_any()
                                }}
                                <h2>"Student-Teachers"</h2>
                                {if p.teachers.is_empty() {
                                    view! { <p class="empty">"No Student-Teachers available. Try later."</p> }.into_any()
                                } else {
                                    view! {
                                        <ul class="card-grid" role="list">
                                            {p.teachers.into_iter().map(|t| {
                                                let name = t.name.clone();
                                                view! {
                                                    <li class="card teacher-card">
                                                        <TeacherIdentity teacher=t.clone()/>
                                                        <TeacherMeta teacher=t.clone()/>
                                                        {p.enrolled.then(|| view! {
                                                            <a class="btn btn-secondary" href=format!("/book/{}", t.st_id)>{format!("Book with {name}")}</a>
                                                        })}
                                                    </li>
                                                }
                                            }).collect_view()}
                                        </ul>
                                    }.into_any()
                                }}
                            }.into_any()
                        }
                    }
                })}
            </Transition>
        </div>
    }
}
