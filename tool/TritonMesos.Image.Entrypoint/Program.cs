return TritonMesos.Image.AgentEntrypoint.Run(args, Console.Out, Console.Error);
