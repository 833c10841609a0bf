use leptos::prelude::*;

use super::avatar::Avatar;
use crate::dto::TeacherCard;

/// Avatar and name, linking to the Student-Teacher's profile (spec: "ST name/avatar click").
#[component]
pub fn TeacherIdentity(teacher: TeacherCard) -> impl IntoView {
    view! {
        <a class="teacher-identity" href=format!("/student-teachers/{}", teacher.st_id)>
            <Avatar avatar=teacher.avatar/>
            <span class="teacher-name">{teacher.name}</span>
        </a>
    }
}
