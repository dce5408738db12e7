import Foundation
import TactCLI

exit(TactMain.run(Array(CommandLine.arguments.dropFirst())))
