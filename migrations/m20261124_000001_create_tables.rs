use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Name,
    Email,
    AvatarUrl,
    Timezone,
    PasswordHash,
    Role,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Courses {
    Table,
    Id,
    Title,
    Description,
    SessionMinutes,
    SessionsIncluded,
}

#[derive(DeriveIden)]
enum Enrollments {
    Table,
    Id,
    StudentId,
    CourseId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum StudentTeachers {
    Table,
    Id,
    UserId,
    CourseId,
    IsActive,
    Bio,
    StudentsTaught,
    Rating,
}

#[derive(DeriveIden)]
enum Availability {
    Table,
    Id,
    TeacherId,
    DayOfWeek,
    StartTime,
    EndTime,
    Timezone,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    CourseId,
    StudentId,
    TeacherId,
    StartAt,
    EndAt,
    Status,
    Note,
    Reminders,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ScheduleLaterRequests {
    Table,
    Id,
    StudentId,
    CourseId,
    Status,
    CreatedAt,
}

#[derive(DeriveIden)]
enum LoginSessions {
    Table,
    Id,
    TokenHash,
    UserId,
    CreatedAt,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum AnalyticsEvents {
    Table,
    Id,
    Name,
    UserId,
    Data,
    CreatedAt,
}

fn fk(from_table: impl IntoIden, from_col: impl IntoIden, to_table: impl IntoIden, to_col: impl IntoIden) -> ForeignKeyCreateStatement {
    ForeignKey::create().from(from_table, from_col).to(to_table, to_col).on_delete(ForeignKeyAction::Cascade).to_owned()
}

fn index(name: &str, table: impl IntoIden, cols: &[&'static str], unique: bool) -> IndexCreateStatement {
    let mut stmt = Index::create();
    stmt.name(name).table(table);
    for col in cols {
        stmt.col(Alias::new(*col));
    }
    if unique {
        stmt.unique();
    }
    stmt.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Users::Table)
                    .col(pk_auto(Users::Id))
                    .col(string(Users::Name))
                    .col(string_uniq(Users::Email))
                    .col(string_null(Users::AvatarUrl))
                    .col(string(Users::Timezone))
                    .col(string(Users::PasswordHash))
                    .col(string_len(Users::Role, 16))
                    .col(timestamp_with_time_zone(Users::CreatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Courses::Table)
                    .col(pk_auto(Courses::Id))
                    .col(string(Courses::Title))
                    .col(text(Courses::Description))
                    .col(integer(Courses::SessionMinutes))
                    .col(integer(Courses::SessionsIncluded))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Enrollments::Table)
                    .col(pk_auto(Enrollments::Id))
                    .col(integer(Enrollments::StudentId))
                    .col(integer(Enrollments::CourseId))
                    .col(timestamp_with_time_zone(Enrollments::CreatedAt))
                    .foreign_key(&mut fk(Enrollments::Table, Enrollments::StudentId, Users::Table, Users::Id))
                    .foreign_key(&mut fk(Enrollments::Table, Enrollments::CourseId, Courses::Table, Courses::Id))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("ux_enrollments_student_course", Enrollments::Table, &["student_id", "course_id"], true)).await?;

        manager
            .create_table(
                Table::create()
                    .table(StudentTeachers::Table)
                    .col(pk_auto(StudentTeachers::Id))
                    .col(integer(StudentTeachers::UserId))
                    .col(integer(StudentTeachers::CourseId))
                    .col(boolean(StudentTeachers::IsActive))
                    .col(text(StudentTeachers::Bio))
                    .col(integer(StudentTeachers::StudentsTaught))
                    .col(double_null(StudentTeachers::Rating))
                    .foreign_key(&mut fk(StudentTeachers::Table, StudentTeachers::UserId, Users::Table, Users::Id))
                    .foreign_key(&mut fk(StudentTeachers::Table, StudentTeachers::CourseId, Courses::Table, Courses::Id))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("ux_student_teachers_user_course", StudentTeachers::Table, &["user_id", "course_id"], true)).await?;
        manager.create_index(index("ix_student_teachers_course", StudentTeachers::Table, &["course_id", "is_active"], false)).await?;

        // Availability belongs to the tutor, not to one course: Sofia's hours serve both her courses.
        // Times are "HH:MM" text because a window may end at 24:00, which no SQL TIME holds.
        manager
            .create_table(
                Table::create()
                    .table(Availability::Table)
                    .col(pk_auto(Availability::Id))
                    .col(integer(Availability::TeacherId))
                    .col(small_integer(Availability::DayOfWeek))
                    .col(string_len(Availability::StartTime, 5))
                    .col(string_len(Availability::EndTime, 5))
                    .col(string(Availability::Timezone))
                    .foreign_key(&mut fk(Availability::Table, Availability::TeacherId, Users::Table, Users::Id))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("ix_availability_teacher", Availability::Table, &["teacher_id"], false)).await?;

        manager
            .create_table(
                Table::create()
                    .table(Sessions::Table)
                    .col(pk_auto(Sessions::Id))
                    .col(integer(Sessions::CourseId))
                    .col(integer(Sessions::StudentId))
                    .col(integer(Sessions::TeacherId))
                    .col(timestamp_with_time_zone(Sessions::StartAt))
                    .col(timestamp_with_time_zone(Sessions::EndAt))
                    .col(string_len(Sessions::Status, 16))
                    .col(text(Sessions::Note))
                    .col(boolean(Sessions::Reminders))
                    .col(timestamp_with_time_zone(Sessions::CreatedAt))
                    .foreign_key(&mut fk(Sessions::Table, Sessions::CourseId, Courses::Table, Courses::Id))
                    .foreign_key(&mut fk(Sessions::Table, Sessions::StudentId, Users::Table, Users::Id))
                    .foreign_key(&mut fk(Sessions::Table, Sessions::TeacherId, Users::Table, Users::Id))
                    .to_owned(),
            )
            .await?;
        // Busy-time lookups: a tutor's (or a student's) sessions overlapping a month.
        manager.create_index(index("ix_sessions_teacher_start", Sessions::Table, &["teacher_id", "start_at"], false)).await?;
        manager.create_index(index("ix_sessions_student_start", Sessions::Table, &["student_id", "start_at"], false)).await?;

        manager
            .create_table(
                Table::create()
                    .table(ScheduleLaterRequests::Table)
                    .col(pk_auto(ScheduleLaterRequests::Id))
                    .col(integer(ScheduleLaterRequests::StudentId))
                    .col(integer(ScheduleLaterRequests::CourseId))
                    .col(string_len(ScheduleLaterRequests::Status, 16))
                    .col(timestamp_with_time_zone(ScheduleLaterRequests::CreatedAt))
                    .foreign_key(&mut fk(ScheduleLaterRequests::Table, ScheduleLaterRequests::StudentId, Users::Table, Users::Id))
                    .foreign_key(&mut fk(ScheduleLaterRequests::Table, ScheduleLaterRequests::CourseId, Courses::Table, Courses::Id))
                    .to_owned(),
            )
            .await?;
        // At most one open request per student and course, even when the form is posted twice
        // at once. Partial unique indexes exist in both SQLite and PostgreSQL.
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX ux_schedule_later_open ON schedule_later_requests (student_id, course_id) WHERE status = 'open'",
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(LoginSessions::Table)
                    .col(pk_auto(LoginSessions::Id))
                    .col(string_uniq(LoginSessions::TokenHash))
                    .col(integer(LoginSessions::UserId))
                    .col(timestamp_with_time_zone(LoginSessions::CreatedAt))
                    .col(timestamp_with_time_zone(LoginSessions::ExpiresAt))
                    .foreign_key(&mut fk(LoginSessions::Table, LoginSessions::UserId, Users::Table, Users::Id))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AnalyticsEvents::Table)
                    .col(pk_auto(AnalyticsEvents::Id))
                    .col(string(AnalyticsEvents::Name))
                    .col(integer_null(AnalyticsEvents::UserId))
                    .col(text(AnalyticsEvents::Data))
                    .col(timestamp_with_time_zone(AnalyticsEvents::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("ix_analytics_name_created", AnalyticsEvents::Table, &["name", "created_at"], false)).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            AnalyticsEvents::Table.into_iden(),
            LoginSessions::Table.into_iden(),
            ScheduleLaterRequests::Table.into_iden(),
            Sessions::Table.into_iden(),
            Availability::Table.into_iden(),
            StudentTeachers::Table.into_iden(),
            Enrollments::Table.into_iden(),
            Courses::Table.into_iden(),
            Users::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
