using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace OpenClaw.Runtime.CodeGenerator;

/// <summary>Turns an interface declaration into an <see cref="InterfaceModel"/> (or null when it is no grain interface).</summary>
internal static class GrainInterfaceReader
{
    public static InterfaceModel? Read(GeneratorSyntaxContext context, CancellationToken cancellationToken)
    {
        var declaration = (InterfaceDeclarationSyntax)context.Node;
        if (context.SemanticModel.GetDeclaredSymbol(declaration, cancellationToken) is not INamedTypeSymbol symbol) return null;
        if (!IsFirstDeclaration(symbol, declaration)) return null; // partial interfaces: read once
        if (SymbolNames.IsMarkerInterface(symbol)) return null;

        var isGrain = symbol.AllInterfaces.Any(i => SymbolNames.IsRuntimeType(i, "IGrain"));
        var isObserver = symbol.AllInterfaces.Any(i => SymbolNames.IsRuntimeType(i, "IGrainObserver"));
        if (!isGrain && !isObserver) return null;

        var reader = new Reader(symbol, isObserver && !isGrain, cancellationToken);
        return reader.Build();
    }

    private static bool IsFirstDeclaration(INamedTypeSymbol symbol, InterfaceDeclarationSyntax declaration)
    {
        var first = symbol.DeclaringSyntaxReferences.FirstOrDefault();
        return first is null || (first.SyntaxTree == declaration.SyntaxTree && first.Span == declaration.Span);
    }

    private sealed class Reader(INamedTypeSymbol grainInterface, bool isObserver, CancellationToken cancellationToken)
    {
        private readonly List<MethodModel> _methods = [];
        private readonly List<DiagnosticInfo> _diagnostics = [];
        private readonly HashSet<INamedTypeSymbol> _visited = new(SymbolEqualityComparer.Default);

        public InterfaceModel Build()
        {
            CheckInterface();
            Visit(grainInterface);
            return new InterfaceModel(
                SymbolNames.MetadataName(grainInterface),
                SymbolNames.Qualified(grainInterface),
                _methods.ToEquatableArray(),
                _diagnostics.ToEquatableArray(),
                HasErrors: _diagnostics.Count > 0);
        }

        private void CheckInterface()
        {
            var name = grainInterface.ToDisplayString();
            for (var type = grainInterface; type is not null; type = type.ContainingType)
            {
                if (type.TypeParameters.Length > 0)
                {
                    Report(Diagnostics.GenericInterface, grainInterface, name);
                    break;
                }
            }
            for (var type = grainInterface; type is not null; type = type.ContainingType)
            {
                if (type.IsFileLocal || type.DeclaredAccessibility is Accessibility.Private or Accessibility.Protected or Accessibility.ProtectedAndInternal)
                {
                    Report(Diagnostics.InaccessibleInterface, grainInterface, name);
                    break;
                }
            }
        }

        /// <summary>Own members in declaration order, then each base interface depth first, each interface once.</summary>
        private void Visit(INamedTypeSymbol type)
        {
            if (!_visited.Add(type)) return;
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var member in type.GetMembers())
            {
                if (member.IsStatic) continue;
                switch (member)
                {
                    case IMethodSymbol { MethodKind: MethodKind.Ordinary } method when method.IsAbstract || method.IsVirtual:
                        AddMethod(method);
                        break;
                    case IPropertySymbol property:
                        Report(Diagnostics.PropertyOrEvent, property, type.ToDisplayString(), property.IsIndexer ? "indexer" : "property", property.Name);
                        break;
                    case IEventSymbol @event:
                        Report(Diagnostics.PropertyOrEvent, @event, type.ToDisplayString(), "event", @event.Name);
                        break;
                }
            }
            foreach (var baseInterface in type.Interfaces) Visit(baseInterface);
        }

        private void AddMethod(IMethodSymbol method)
        {
            var errors = _diagnostics.Count;
            var owner = method.ContainingType.ToDisplayString();
            if (method.IsGenericMethod) Report(Diagnostics.GenericMethod, method, owner, method.Name);

            var oneWay = method.GetAttributes().Any(a => SymbolNames.IsRuntimeType(a.AttributeClass, "OneWayAttribute"));
            var alwaysInterleave = method.GetAttributes().Any(a => SymbolNames.IsRuntimeType(a.AttributeClass, "AlwaysInterleaveAttribute"));
            var (kind, resultType) = ReadReturn(method, owner, oneWay);
            var parameters = ReadParameters(method, owner, oneWay || kind == ReturnKind.Void);
            if (_diagnostics.Count > errors) return;

            _methods.Add(new MethodModel(
                method.Name,
                SymbolNames.Qualified(method.ContainingType),
                kind,
                resultType,
                parameters,
                alwaysInterleave,
                OneWay: oneWay || kind == ReturnKind.Void,
                MethodId: _methods.Count));
        }

        private (ReturnKind Kind, string ResultType) ReadReturn(IMethodSymbol method, string owner, bool oneWay)
        {
            var returnType = method.ReturnType;
            var display = returnType.ToDisplayString();
            if (method.ReturnsByRef || method.ReturnsByRefReadonly)
            {
                Report(Diagnostics.UnsupportedReturnType, method, owner, method.Name, "ref " + display);
                return (ReturnKind.Task, "");
            }
            if (returnType.SpecialType == SpecialType.System_Void)
            {
                if (!isObserver && !oneWay) Report(Diagnostics.VoidOnGrain, method, owner, method.Name);
                return (ReturnKind.Void, "");
            }
            if (returnType is INamedTypeSymbol named && SymbolNames.IsTask(named.OriginalDefinition))
            {
                if (named.TypeArguments.Length == 0) return (ReturnKind.Task, "");
                if (oneWay) Report(Diagnostics.OneWayWithResult, method, owner, method.Name, display);
                return (ReturnKind.TaskOfT, SymbolNames.Qualified(named.TypeArguments[0]));
            }
            if (returnType is INamedTypeSymbol valueTask && SymbolNames.IsValueTask(valueTask.OriginalDefinition))
                Report(Diagnostics.ValueTaskReturnType, method, owner, method.Name, display);
            else
                Report(Diagnostics.UnsupportedReturnType, method, owner, method.Name, display);
            return (ReturnKind.Task, "");
        }

        private EquatableArray<ParameterModel> ReadParameters(IMethodSymbol method, string owner, bool oneWay)
        {
            var parameters = new List<ParameterModel>(method.Parameters.Length);
            for (var i = 0; i < method.Parameters.Length; i++)
            {
                var parameter = method.Parameters[i];
                var name = parameter.Name.Length > 0 ? parameter.Name : "arg" + parameters.Count;
                var type = parameter.Type;
                var isCancellation = SymbolNames.IsCancellationToken(type);
                if (parameter.RefKind != RefKind.None)
                    Report(Diagnostics.ByRefParameter, parameter, owner, method.Name, name, RefKindText(parameter.RefKind));
                else if (isCancellation && (oneWay || i != method.Parameters.Length - 1))
                    Report(Diagnostics.CancellationTokenParameter, parameter, owner, method.Name, name);
                else if (type.IsRefLikeType || type.TypeKind is TypeKind.Pointer or TypeKind.FunctionPointer)
                    Report(Diagnostics.UnsupportedParameterType, parameter, owner, method.Name, name, type.ToDisplayString());
                parameters.Add(new ParameterModel(SymbolNames.Qualified(type), name, isCancellation));
            }
            return parameters.ToEquatableArray();
        }

        private static string RefKindText(RefKind kind) => kind switch
        {
            RefKind.Ref => "ref",
            RefKind.Out => "out",
            RefKind.In => "in",
            RefKind.RefReadOnlyParameter => "ref readonly",
            _ => kind.ToString(),
        };

        /// <summary>Reports at the member when it is in this compilation's source, otherwise at the grain interface.</summary>
        private void Report(DiagnosticDescriptor descriptor, ISymbol at, params string[] args)
        {
            var location = LocationInfo.From(at.Locations.FirstOrDefault(l => l.IsInSource))
                ?? LocationInfo.From(grainInterface.Locations.FirstOrDefault(l => l.IsInSource));
            _diagnostics.Add(new DiagnosticInfo(descriptor.Id, location, args.ToEquatableArray()));
        }
    }
}
