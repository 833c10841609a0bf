use leptos::prelude::*;

use crate::dto::TeacherCard;

/// "42 students taught · ★ 4.9" (the rating only when there is one).
#[component]
pub fn TeacherMeta(teacher: TeacherCard) -> impl IntoView {
    let students = match teacher.students_taught {
        1 => "1 student taught".to_owned(),
        n => format!("{n} students taught"),
    };
    view! {
        <p class="teacher-meta">
            <span>{students}</span>
            {teacher.rating.map(|r| view! {
                <span class="rating">
                    <span aria-hidden="true">"★ "</span>
                    <span class="sr-only">"Rated "</span>
                    {format!("{r:.1}")}
                    <span class="sr-only">" out of 5"</span>
                </span>
            })}
        </p>
    }
}
