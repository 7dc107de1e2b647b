using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;

namespace Haven.Features.Deadlines;

public sealed record FeedEntry(Guid TaskId, TaskKind Kind, DateTime DueAt, string MatterReference, IReadOnlyList<int> ReminderDays);

/// <summary>Writes a feed with Ical.Net. The text is the kind and the matter number only: a phone's calendar
/// is not a safe place for a client's name.</summary>
public static class CalendarFeedWriter
{
    public static string Summary(TaskKind kind, string matterReference) => kind switch
    {
        TaskKind.CourtDate => $"Court date: matter {matterReference}",
        TaskKind.FilingDeadline => $"Filing deadline: matter {matterReference}",
        TaskKind.Appointment => $"Appointment: matter {matterReference}",
        _ => $"Follow-up: matter {matterReference}",
    };

    public static string Write(IEnumerable<FeedEntry> entries)
    {
        var calendar = new Calendar { ProductId = "-//Haven//Deadlines//EN" };
        calendar.AddProperty("X-WR-CALNAME", "Haven deadlines");
        foreach (var entry in entries)
        {
            var start = new CalDateTime(DateTime.SpecifyKind(entry.DueAt, DateTimeKind.Utc));
            var e = new CalendarEvent
            {
                Uid = $"{entry.TaskId}@haven",
                Summary = Summary(entry.Kind, entry.MatterReference),
                DtStart = start,
                DtEnd = start.AddMinutes(entry.Kind is TaskKind.CourtDate or TaskKind.Appointment ? 60 : 15),
            };
            foreach (var days in entry.ReminderDays)
                e.Alarms.Add(new Alarm { Action = AlarmAction.Display, Description = e.Summary, Trigger = new Trigger(Duration.FromDays(-days)) });
            calendar.Events.Add(e);
        }
        return new CalendarSerializer().SerializeToString(calendar)!;
    }
}
