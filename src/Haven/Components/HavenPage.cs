using Microsoft.AspNetCore.Components;

namespace Haven.Components;

/// <summary>
/// A page that loads data and handles posted forms. Blazor can dispatch a posted form as soon as the form is
/// rendered, which may be while the page is still loading; the page's DbContext allows one operation at a
/// time, so form handlers begin with <c>await Loaded</c>.
/// </summary>
public abstract class HavenPage : ComponentBase
{
    protected Task Loaded { get; private set; } = Task.CompletedTask;

    protected sealed override Task OnInitializedAsync() => Loaded = LoadAsync();

    protected abstract Task LoadAsync();
}
