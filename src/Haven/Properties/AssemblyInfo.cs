using Microsoft.Extensions.Localization;

// The assembly is named "haven" (the command); resources live under the "Haven" namespace.
[assembly: RootNamespace("Haven")]
