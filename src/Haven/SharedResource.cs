namespace Haven;

/// <summary>Marker for the shared strings in Resources/SharedResource.*.resx.</summary>
public sealed class SharedResource;
