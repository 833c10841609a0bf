use leptos::prelude::*;

use crate::api::TeacherCard;

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
                <span class="rating" aria-label=format!("Rated {r:.1} out of 5")>
                    <span aria-hidden="true">"★ "</span>{format!("{r:.1}")}
                </span>
            })}
        </p>
    }
}
